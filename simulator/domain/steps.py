"""Every module that registers a time-driven step (``@handler``), in one place: the Simulator
imports this, so a simulator built without the web app (a scenario runner, a benchmark, a
test) still runs message lifecycles, call steps, reviews, reservation timeouts and TTLs."""
from __future__ import annotations

from . import calls, messages, tollfree
from .conversations import core as conversations
from .taskrouter import instructions, reservations, tasks

REGISTERING = (calls, messages, tollfree, conversations, instructions, reservations, tasks)
