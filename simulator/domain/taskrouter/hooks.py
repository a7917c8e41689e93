"""Who else wants to know when TaskRouter moves: listeners by event type.

A domain module outside TaskRouter (Flex Interactions, Flex voice) subscribes to an event type
(``reservation.accepted``, ``task.wrapup``, ``task.completed``, ``task.canceled`` ...) with
``subscribe``; ``events.emit`` hands each listener the stored event once the routing change that
caused it is complete (outside the routing lock), so TaskRouter never imports the modules that
react to it. A listener receives ``(s, event)``, the event as the Events resource keeps it
(``event_type``, ``resource_sid``, ``event_data`` in snake_case with ``task_sid``,
``task_attributes``, ``worker_sid``, ``reservation_sid`` ...).
"""
from __future__ import annotations

from typing import Callable

_LISTENERS: dict[str, list[Callable]] = {}


def subscribe(event_type: str, listener: Callable) -> Callable:
    """Call ``listener(s, event)`` after every ``event_type`` event (once per listener)."""
    found = _LISTENERS.setdefault(event_type, [])
    if listener not in found:
        found.append(listener)
    return listener


def listeners(event_type: str) -> tuple[Callable, ...]:
    return tuple(_LISTENERS.get(event_type, ()))
