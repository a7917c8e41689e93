"""The TaskRouter event bridge: what ``twilio-taskrouter`` (the TaskRouter JavaScript SDK)
connects to. A door of its own: the REST endpoint (``rest.py``, on the simulator's port), the
websocket server (``websocket.py``, on a port of its own, started with the server), the frames
pushed as the engine acts (``push.py``) and the SDK's record shapes (``shapes.py``)."""
from __future__ import annotations

from . import push  # noqa: F401  (subscribes the pushes to the engine's events)
from .rest import event_bridge

__all__ = ["event_bridge"]
