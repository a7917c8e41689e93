"""Stores the store's own tests open: a ``things`` table indexed by ``owner`` (and an
``unowned`` one), and the same folder opened again as a restart would."""
from __future__ import annotations

import contextlib

from simulator.store import Store


def things_store(folder=None, **kw) -> Store:
    store = Store(folder, **kw)
    store.define("things", "owner")
    store.define("unowned", None)
    return store


@contextlib.contextmanager
def reopened(folder, **kw):
    """The folder's store as a restarted server loads it; closed after the block."""
    again = things_store(folder, **kw)
    try:
        yield again
    finally:
        again.close()
