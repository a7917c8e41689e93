"""Events pushed to connected Workers as the engine acts.

Each TaskRouter event a Worker's app listens to (``lib/handlers/TaskRouterEventHandler.js``)
is sent, once the change that caused it is complete, as a frame
``{"event_type": ..., "payload": ...}`` to the websockets of the Workers it concerns: a
``worker.*`` event to that Worker, a ``reservation.*`` event to the reserved Worker, a
``task.*`` event to every Worker holding a reservation of the task. Nothing is rendered while
no Worker is connected.
"""
from __future__ import annotations

import json
import logging

from ..domain.taskrouter import hooks, reservations, tasks, workers
from ..domain.taskrouter.event_bridge import hub
from ..errors import TwilioError
from . import shapes

log = logging.getLogger("twilio_sim")

WORKER_EVENTS = ("worker.activity.update", "worker.attributes.update")
CHANNEL_EVENTS = ("worker.capacity.update", "worker.channel.availability.update")
RESERVATION_EVENTS = tuple(f"reservation.{kind}" for kind in shapes.STATUS_OF_EVENT)
TASK_EVENTS = ("task.updated", "task.canceled", "task.completed", "task.wrapup")


def frame(event_type: str, payload) -> str:
    return json.dumps({"event_type": event_type, "payload": payload}, separators=(",", ":"))


def _send(sessions, event_type: str, payload) -> None:
    text = frame(event_type, payload)
    for session in sessions:
        session.send(text)


def _addressed(s, event: dict) -> tuple[dict, str, list]:
    """An event's data, the worker it concerns, and that worker's open sessions."""
    data = event["event_data"]
    worker_sid = data.get("worker_sid") or event["resource_sid"]
    return data, worker_sid, hub(s).of_worker(worker_sid)


def _worker_event(s, event: dict) -> None:
    data, worker_sid, sessions = _addressed(s, event)
    if not sessions:
        return
    try:
        worker = workers.worker_of(s, event["workspace_sid"], worker_sid)
    except TwilioError:
        return
    _send(sessions, event["event_type"], shapes.worker(s, worker, data))


def _channel_event(s, event: dict) -> None:
    data, worker_sid, sessions = _addressed(s, event)
    if not sessions:
        return
    try:
        wc = workers.worker_channel_of(s, worker_sid, data["task_channel_sid"])
    except (TwilioError, KeyError):
        return
    _send(sessions, event["event_type"], shapes.channel(s, wc))


def _reservation_event(s, event: dict) -> None:
    data = event["event_data"]
    sessions = hub(s).of_worker(data.get("worker_sid", ""))
    if not sessions:
        return
    try:
        r = reservations.reservation_of(s, event["workspace_sid"], event["resource_sid"])
    except TwilioError:
        return
    status = shapes.STATUS_OF_EVENT[event["event_type"].split(".", 1)[1]]
    _send(sessions, event["event_type"], shapes.reservation(s, r, status=status, at_event=data))


def _task_event(s, event: dict) -> None:
    h = hub(s)
    if h.empty:
        return
    try:
        task = tasks.task_of(s, event["workspace_sid"], event["resource_sid"])
    except TwilioError:
        return
    holders = {r["worker_sid"] for r in reservations.reservations_of_task(s, task)}
    sessions = [x for worker_sid in holders for x in h.of_worker(worker_sid)]
    if sessions:
        _send(sessions, event["event_type"], shapes.task(s, task, event["event_data"]))


def _guarded(push):
    """A push never fails the change that caused it."""
    def listener(s, event):
        if hub(s).empty:
            return
        try:
            push(s, event)
        except Exception:  # noqa: BLE001 - logged; the routing change stands
            log.exception("event bridge: could not push %s", event.get("event_type"))
    listener.__name__ = f"event_bridge_{push.__name__.strip('_')}"
    return listener


for _types, _push in ((WORKER_EVENTS, _worker_event), (CHANNEL_EVENTS, _channel_event),
                      (RESERVATION_EVENTS, _reservation_event), (TASK_EVENTS, _task_event)):
    _listener = _guarded(_push)
    for _type in _types:
        hooks.subscribe(_type, _listener)
