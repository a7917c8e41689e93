"""The garbage collector in a serving process: full passes that stay short as the state grows.

CPython's full collection walks every object that can hold references, and a stored record
holding a list (a message's status history, a task's attributes) is one. As the state grows
under load, full passes come every few seconds, and each held every request: 25 to 46 ms at
25,000 messages, 100 ms and more at 100,000. Stored records are freed by reference counting
when they are replaced or deleted, never by the cycle collector, so walking them again is wasted.
So what survives a full pass is frozen (``gc.freeze``), and the next pass walks only what was
made since. The price: a reference cycle among objects that were alive at a full pass (a request
in flight at that moment) is never collected, a few objects a pass.

For a process that exists to serve (``twilio-sim serve``) only: a test suite serving the
simulator in its own process makes and drops whole apps, whose cycles must stay collectable.
"""
from __future__ import annotations

import gc

OLDEST = 2   # the generation a full collection reports


def _freeze_survivors(phase: str, info: dict):
    if phase == "stop" and info.get("generation") == OLDEST:
        gc.freeze()


def freeze_after_full_collections():
    """Freeze what this process holds now (the loaded state), and from now on what survives
    each full collection. Once per process; calling it again only freezes again."""
    gc.collect()
    gc.freeze()
    if _freeze_survivors not in gc.callbacks:
        gc.callbacks.append(_freeze_survivors)
