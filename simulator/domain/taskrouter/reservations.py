"""Reservations: a task offered to one worker, and what the worker (or the assignment callback,
or the clock) does with it.

``pending`` -> ``accepted`` (the task is assigned; the task's other pending reservations are
rescinded), ``rejected`` (the worker keeps or changes its activity; the task is offered again),
``canceled``, or ``timeout`` after the workflow's ``TaskReservationTimeout`` (the worker moves to
the workspace's timeout activity). ``accepted`` -> ``wrapping`` -> ``completed``, which returns
the worker's capacity. A task goes back to ``pending`` only when all its reservations ended
unaccepted; after 1,000 rejections it is canceled. The assignment callback and the voice
instructions (dequeue, call, redirect, conference) are in instructions.py.
"""
from __future__ import annotations

import logging

from ...errors import TwilioError
from ...rules import taskrouter as rules
from ...scheduler import handler
from . import engine
from .events import emit, task_fields, worker_fields
from .session import routing_change

log = logging.getLogger("twilio_sim")


def reservation_of(s, workspace_sid: str, sid: str, *, task_sid: str | None = None,
                   worker_sid: str | None = None) -> dict:
    """A reservation under the task or worker its path names (else 20404)."""
    r = s.store.get("tr_reservations", sid)
    if r is None or r["workspace_sid"] != workspace_sid \
            or (task_sid is not None and r["task_sid"] != task_sid) \
            or (worker_sid is not None and r["worker_sid"] != worker_sid):
        raise TwilioError.not_found()
    return r


def reservations_of_task(s, task: dict, status: str | None = None,
                         worker_sid: str | None = None) -> list[dict]:
    found = (s.store.get("tr_reservations", sid) for sid in task.get("reservation_sids", []))
    return [r for r in found if r is not None
            and (status is None or r["reservation_status"] == status)
            and (worker_sid is None or r["worker_sid"] == worker_sid)]


def reservations_of_worker(s, worker_sid: str, status: str | None = None):
    """The ``fetch`` a list envelope pages with, oldest first."""
    where = None if status is None else (lambda r: r["reservation_status"] == status)
    return s.store.pager("tr_reservations", worker_sid, where=where)


def _event(s, reservation: dict, kind: str, description: str):
    task = s.store.get("tr_tasks", reservation["task_sid"])
    worker = s.store.get("tr_workers", reservation["worker_sid"])
    data = {"reservation_sid": reservation["sid"]}
    if task:
        data.update(task_fields(s, task))
    if worker:
        data.update(worker_fields(s, worker))
    emit(s, reservation["workspace_sid"], kind, reservation["sid"], description, data)


def update_reservation(s, reservation: dict, status: str, *, worker_activity_sid: str | None = None,
                       if_match: str | None = None) -> dict:
    """What a ``ReservationStatus`` update (or a callback's instruction) does."""
    with routing_change(s):
        reservation = s.store.require("tr_reservations", reservation["sid"])
        engine.check_version(reservation, if_match)
        rules.check_reservation_transition(reservation["reservation_status"], status,
                                           reservation["sid"])
        if worker_activity_sid is not None:
            activity = s.store.get("tr_activities", worker_activity_sid)
            if activity is None or activity["workspace_sid"] != reservation["workspace_sid"]:
                raise TwilioError.invalid("WorkerActivitySid", f"{worker_activity_sid} is not an "
                                                               "Activity of this workspace")
        return {"accepted": accept, "rejected": reject, "canceled": cancel_pending,
                "wrapping": wrap, "completed": complete}[status](
            s, reservation, worker_activity_sid=worker_activity_sid)


def accept(s, reservation: dict, **_) -> dict:
    task = s.store.require("tr_tasks", reservation["task_sid"])
    reservation = engine.bump(s, "tr_reservations", reservation, {"reservation_status": "accepted"})
    s.scheduler.cancel(reservation["sid"])
    engine.hold_capacity(s, reservation, reserved=-1, assigned=1)
    task = engine.bump(s, "tr_tasks", task, {"assignment_status": "assigned"})
    s.scheduler.cancel(task["sid"])   # no more step timeouts or TTL once assigned
    _event(s, reservation, "reservation.accepted",
           f"Reservation {reservation['sid']} accepted by Worker {reservation['worker_name']}")
    rescinded = engine.end_reservations(s, task, "rescinded")
    queue = s.store.get("tr_task_queues", task["task_queue_sid"]) if task["task_queue_sid"] else None
    worker = s.store.get("tr_workers", reservation["worker_sid"])
    if queue and queue.get("assignment_activity_sid") and worker:
        worker = engine.set_activity(s, worker, queue["assignment_activity_sid"], reason="assigned")
        engine.index(s, worker["workspace_sid"]).refresh_worker(s, worker)
    for other in rescinded:
        engine.free_worker(s, other)
    return reservation


def _unaccepted(s, reservation: dict, status: str, *, activity_sid: str | None) -> dict:
    """The reservation ended before it was accepted: the worker gets its capacity back (and
    an activity), and the task waits again once none of its reservations is pending."""
    reservation = engine.bump(s, "tr_reservations", reservation, {"reservation_status": status})
    s.scheduler.cancel(reservation["sid"])
    engine.hold_capacity(s, reservation, reserved=-1)
    worker = s.store.get("tr_workers", reservation["worker_sid"])
    if worker is not None:
        worker = s.store.update("tr_workers", worker["sid"], {"idle_since": s.now()})
        if activity_sid is not None:
            worker = engine.set_activity(s, worker, activity_sid, reason=status)
        engine.index(s, worker["workspace_sid"]).refresh_worker(s, worker)
    verb = {"rejected": "rejected by", "timeout": "timed out for", "canceled": "canceled for"}
    _event(s, reservation, f"reservation.{status}",
           f"Reservation {reservation['sid']} {verb[status]} Worker {reservation['worker_name']}")
    task = s.store.require("tr_tasks", reservation["task_sid"])
    if status == "rejected":
        task = s.store.update("tr_tasks", task["sid"],
                              {"rejections": task.get("rejections", 0) + 1})
    if task["assignment_status"] == "reserved" and not reservations_of_task(s, task, "pending"):
        task = engine.bump(s, "tr_tasks", task, {"assignment_status": "pending"})
        if task.get("rejections", 0) >= rules.MAX_REJECTIONS:
            engine.cancel(s, task, "Task rejected too many times")
        else:
            engine.serve_queue(s, task)
    if worker is not None:
        engine.serve_worker(s, worker["sid"], worker["workspace_sid"])
    return s.store.get("tr_reservations", reservation["sid"])


def reject(s, reservation: dict, *, worker_activity_sid: str | None = None) -> dict:
    """Without ``WorkerActivitySid`` the worker returns to the activity it had before the
    reservation (a queue's ``ReservationActivitySid`` may have moved it)."""
    worker = s.store.get("tr_workers", reservation["worker_sid"]) or {}
    activity = worker_activity_sid
    if activity is None and worker.get("activity_sid") != reservation["worker_previous_activity_sid"]:
        activity = reservation["worker_previous_activity_sid"]
    return _unaccepted(s, reservation, "rejected", activity_sid=activity)


def cancel_pending(s, reservation: dict, **_) -> dict:
    return _unaccepted(s, reservation, "canceled", activity_sid=None)


def wrap(s, reservation: dict, **_) -> dict:
    reservation = engine.bump(s, "tr_reservations", reservation, {"reservation_status": "wrapping"})
    _event(s, reservation, "reservation.wrapup", f"Reservation {reservation['sid']} wrapping up")
    task = s.store.require("tr_tasks", reservation["task_sid"])
    if task["assignment_status"] == "assigned":
        task = engine.bump(s, "tr_tasks", task, {"assignment_status": "wrapping"})
        emit(s, task["workspace_sid"], "task.wrapup", task["sid"],
             f"Task {task['sid']} wrapping up", task_fields(s, task))
    return reservation


def complete(s, reservation: dict, *, reason: str = "reservation completed", **_) -> dict:
    reservation = engine.bump(s, "tr_reservations", reservation, {"reservation_status": "completed"})
    if s.store.get("tr_workers", reservation["worker_sid"]) is not None:
        # idle from now: set before the index sees the worker free again
        s.store.update("tr_workers", reservation["worker_sid"], {"idle_since": s.now()})
    engine.hold_capacity(s, reservation, assigned=-1)
    _event(s, reservation, "reservation.completed", f"Reservation {reservation['sid']} completed")
    task = s.store.require("tr_tasks", reservation["task_sid"])
    if task["assignment_status"] in ("assigned", "wrapping"):
        task = engine.bump(s, "tr_tasks", task, {"assignment_status": "completed",
                                                 "reason": reason})
        emit(s, task["workspace_sid"], "task.completed", task["sid"],
             f"Task {task['sid']} completed", task_fields(s, task))
        engine.schedule_purge(s, task)
    engine.free_worker(s, reservation)
    return reservation


# -- the clock --------------------------------------------------------------------------------
@handler("taskrouter.reservation-timeout")
def _timed_out(s, timer):
    """No answer within the workflow's TaskReservationTimeout: the worker moves to the
    workspace's timeout activity and the task is offered again."""
    with routing_change(s):
        reservation = s.store.get("tr_reservations", timer["target"])
        if reservation is None or reservation["reservation_status"] != "pending":
            return
        ws = s.store.require("tr_workspaces", reservation["workspace_sid"])
        _unaccepted(s, reservation, "timeout", activity_sid=ws["timeout_activity_sid"])

