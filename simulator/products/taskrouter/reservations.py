"""TaskRouter Reservations, under their task (/Tasks/{TaskSid}/Reservations) and their worker
(/Workers/{WorkerSid}/Reservations): fetch, list, and update with a ``ReservationStatus`` or
an ``Instruction`` (accept, reject, dequeue, call, redirect, conference). Updates take
``If-Match``; responses carry the reservation's version as their ``ETag``.
"""
from __future__ import annotations

from flask import request

from ...current import sim
from ...domain.taskrouter import instructions, reservations, tasks, workers
from ...errors import TwilioError
from ...paging import in_order
from ...wire import boolean, choice, integer, list_v1, params, text
from . import activity_param, bp, workspace_of, ws_url

STATUSES = ("pending", "accepted", "rejected", "timeout", "canceled", "rescinded", "wrapping",
            "completed")
INSTRUCTIONS = ("accept", "reject", "dequeue", "call", "redirect", "conference")


def _to_wire(r: dict, under: str) -> dict:
    ws, sid = r["workspace_sid"], r["sid"]
    parent = (f"/Tasks/{r['task_sid']}" if under == "task" else f"/Workers/{r['worker_sid']}")
    return {
        "account_sid": r["account_sid"],
        "date_created": r["date_created"],
        "date_updated": r["date_updated"],
        "reservation_status": r["reservation_status"],
        "sid": sid,
        "task_sid": r["task_sid"],
        "worker_name": r["worker_name"],
        "worker_sid": r["worker_sid"],
        "workspace_sid": ws,
        "url": ws_url(ws, f"{parent}/Reservations/{sid}"),
        "links": {"task": ws_url(ws, f"/Tasks/{r['task_sid']}"),
                  "worker": ws_url(ws, f"/Workers/{r['worker_sid']}"),
                  "workspace": ws_url(ws)},
    }


def task_reservation_to_wire(r: dict) -> dict:
    return _to_wire(r, "task")


def worker_reservation_to_wire(r: dict) -> dict:
    return _to_wire(r, "worker")


def _with_etag(r: dict, to_wire):
    return to_wire(r), 200, {"ETag": str(r.get("version", 0))}


# -- under a task ---------------------------------------------------------------------------------
@bp.get("/Workspaces/<ws_sid>/Tasks/<task_sid>/Reservations")
def list_task_reservations(ws_sid, task_sid):
    workspace_of(ws_sid)
    task = tasks.task_of(sim(), ws_sid, task_sid)
    found = reservations.reservations_of_task(sim(), task, choice("ReservationStatus", STATUSES),
                                              text("WorkerSid"))
    return list_v1("taskrouter", f"/v1/Workspaces/{ws_sid}/Tasks/{task_sid}/Reservations",
                   "reservations", in_order(found), task_reservation_to_wire)


@bp.get("/Workspaces/<ws_sid>/Tasks/<task_sid>/Reservations/<sid>")
def fetch_task_reservation(ws_sid, task_sid, sid):
    workspace_of(ws_sid)
    r = reservations.reservation_of(sim(), ws_sid, sid, task_sid=task_sid)
    return _with_etag(r, task_reservation_to_wire)


@bp.post("/Workspaces/<ws_sid>/Tasks/<task_sid>/Reservations/<sid>")
def update_task_reservation(ws_sid, task_sid, sid):
    workspace_of(ws_sid)
    r = reservations.reservation_of(sim(), ws_sid, sid, task_sid=task_sid)
    return _with_etag(_update(ws_sid, r), task_reservation_to_wire)


# -- under a worker -------------------------------------------------------------------------------
@bp.get("/Workspaces/<ws_sid>/Workers/<worker_sid>/Reservations")
def list_worker_reservations(ws_sid, worker_sid):
    workspace_of(ws_sid)
    workers.worker_of(sim(), ws_sid, worker_sid)
    fetch = reservations.reservations_of_worker(sim(), worker_sid,
                                                choice("ReservationStatus", STATUSES))
    return list_v1("taskrouter", f"/v1/Workspaces/{ws_sid}/Workers/{worker_sid}/Reservations",
                   "reservations", fetch, worker_reservation_to_wire)


@bp.get("/Workspaces/<ws_sid>/Workers/<worker_sid>/Reservations/<sid>")
def fetch_worker_reservation(ws_sid, worker_sid, sid):
    workspace_of(ws_sid)
    r = reservations.reservation_of(sim(), ws_sid, sid, worker_sid=worker_sid)
    return _with_etag(r, worker_reservation_to_wire)


@bp.post("/Workspaces/<ws_sid>/Workers/<worker_sid>/Reservations/<sid>")
def update_worker_reservation(ws_sid, worker_sid, sid):
    workspace_of(ws_sid)
    r = reservations.reservation_of(sim(), ws_sid, sid, worker_sid=worker_sid)
    return _with_etag(_update(ws_sid, r), worker_reservation_to_wire)


# -- the update: a status or an instruction --------------------------------------------------------
def _update(ws_sid: str, r: dict) -> dict:
    s = sim()
    if_match = request.headers.get("If-Match")
    instruction = choice("Instruction", INSTRUCTIONS)
    status = choice("ReservationStatus", STATUSES)
    activity_sid = activity_param(ws_sid, "WorkerActivitySid")
    if instruction is None and status is None:
        raise TwilioError(20001, "Missing required parameter ReservationStatus or Instruction")
    if instruction == "accept" or (instruction is None and status == "accepted"):
        return reservations.update_reservation(s, r, "accepted", if_match=if_match)
    if instruction == "reject" or (instruction is None and status == "rejected"):
        return reservations.update_reservation(s, r, "rejected", worker_activity_sid=activity_sid,
                                               if_match=if_match)
    if instruction is None:   # canceled, wrapping, completed (others are refused there)
        return reservations.update_reservation(s, r, status, if_match=if_match)
    if instruction == "call":
        return instructions.call(
            s, r, to=text("CallTo"), from_=text("CallFrom"), url=text("CallUrl"),
            accept=boolean("CallAccept", False), record=text("CallRecord"),
            timeout=integer("CallTimeout", minimum=1),
            status_callback_url=text("CallStatusCallbackUrl"), if_match=if_match)
    if instruction == "dequeue":
        return instructions.dequeue(
            s, r, to=text("DequeueTo"), from_=text("DequeueFrom"),
            post_work_activity_sid=text("DequeuePostWorkActivitySid"),
            record=text("DequeueRecord"), timeout=integer("DequeueTimeout"),
            status_callback_url=text("DequeueStatusCallbackUrl"),
            status_callback_events=params().getlist("DequeueStatusCallbackEvent") or None,
            if_match=if_match)
    if instruction == "redirect":
        return instructions.redirect(
            s, r, call_sid=text("RedirectCallSid"), url=text("RedirectUrl"),
            accept=boolean("RedirectAccept", False), if_match=if_match)
    _conference_options()
    return instructions.conference(
        s, r, to=text("To"), from_=text("From"),
        post_work_activity_sid=text("PostWorkActivitySid"),
        status_callback=text("StatusCallback"),
        status_callback_method=choice("StatusCallbackMethod", ("GET", "POST")),
        status_callback_events=params().getlist("StatusCallbackEvent") or None,
        if_match=if_match)


def _conference_options() -> None:
    """The conference's own options are accepted when well formed (the simulated conference
    does not act on them)."""
    for name in ("Record", "Muted", "StartConferenceOnEnter", "EndConferenceOnExit",
                 "EarlyMedia", "EndConferenceOnCustomerExit", "BeepOnCustomerEntrance"):
        boolean(name)
    integer("Timeout", minimum=1)
    integer("MaxParticipants", minimum=2)
