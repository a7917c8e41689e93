"""TaskRouter Reservations, under their task (/Tasks/{TaskSid}/Reservations) and their worker
(/Workers/{WorkerSid}/Reservations): fetch, list, and update with a ``ReservationStatus`` or
an ``Instruction`` (accept, reject, dequeue, call, redirect, conference). Updates take
``If-Match``; responses carry the reservation's version as their ``ETag``.
"""
from __future__ import annotations

from flask import request

from ...current import sim
from ...domain.taskrouter import instructions, reservations, tasks, workers
from ...paging import in_order
from ...rules import taskrouter as rules
from ...wire import FormParams, choice, list_v1, text
from . import bp, workspace_of, ws_url


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


def _status() -> str | None:
    """The lists' ``ReservationStatus`` filter."""
    return choice("ReservationStatus", rules.RESERVATION_STATUSES)


def _with_etag(r: dict, to_wire):
    return to_wire(r), 200, {"ETag": str(r.get("version", 0))}


# -- under a task ---------------------------------------------------------------------------------
@bp.get("/Workspaces/<ws_sid>/Tasks/<task_sid>/Reservations")
def list_task_reservations(ws_sid, task_sid):
    workspace_of(ws_sid)
    task = tasks.task_of(sim(), ws_sid, task_sid)
    found = reservations.reservations_of_task(sim(), task, _status(), text("WorkerSid"))
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
    return _with_etag(_update(r), task_reservation_to_wire)


# -- under a worker -------------------------------------------------------------------------------
@bp.get("/Workspaces/<ws_sid>/Workers/<worker_sid>/Reservations")
def list_worker_reservations(ws_sid, worker_sid):
    workspace_of(ws_sid)
    workers.worker_of(sim(), ws_sid, worker_sid)
    fetch = reservations.reservations_of_worker(sim(), worker_sid, _status())
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
    return _with_etag(_update(r), worker_reservation_to_wire)


# -- the update: a status or an instruction --------------------------------------------------------
def _update(r: dict) -> dict:
    return instructions.respond(sim(), r, FormParams(), if_match=request.headers.get("If-Match"))
