"""Who else wants to know what happens in a conversation: listeners by event.

Conversations never imports Studio or Flex; they subscribe here instead:

- ``studio`` listeners run a conversation's ``studio`` scoped webhook:
  ``fn(s, conversation, webhook, message)`` for each message added;
- ``closed`` listeners hear of a conversation closed (by its timer or an update):
  ``fn(s, conversation)``.
"""
from __future__ import annotations

from typing import Callable

_LISTENERS: dict[str, list[Callable]] = {}


def subscribe(kind: str, listener: Callable) -> Callable:
    found = _LISTENERS.setdefault(kind, [])
    if listener not in found:
        found.append(listener)
    return listener


def listeners(kind: str) -> tuple[Callable, ...]:
    return tuple(_LISTENERS.get(kind, ()))
