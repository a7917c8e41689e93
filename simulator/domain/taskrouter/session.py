"""One routing change at a time, and what it sends once it is complete.

Every change that can move tasks (a task created, a reservation answered, a worker made
available, a timer firing) runs inside ``routing_change(s)``: it holds the store's lock so the
engine sees one consistent workspace, and it collects the webhooks the change causes
(assignment callbacks, event callbacks) to send them after the lock is released. A callback
handler that calls back into the simulator (over HTTP, from another thread) then finds the
state settled instead of waiting on the lock; an instruction in its answer is a change of its own.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager

_local = threading.local()


@contextmanager
def routing_change(s):
    depth = getattr(_local, "depth", 0)
    if depth == 0:
        _local.after = []
    _local.depth = depth + 1
    try:
        with s.store.lock:
            yield
    except BaseException:
        if depth == 0:
            _local.after = []
        raise
    finally:
        _local.depth = depth
    if depth == 0:
        pending, _local.after = _local.after, []
        for send in pending:   # each may start a routing change (and a list) of its own
            send()


def after_commit(s, send):
    """Run ``send`` once the outermost routing change is complete (now, outside one)."""
    if getattr(_local, "depth", 0):
        _local.after.append(send)
    else:
        send()
