"""TaskRouter statistics of a workspace, its TaskQueues, Workers and Workflows:
``.../Statistics`` (real time and cumulative), ``.../RealTimeStatistics``,
``.../CumulativeStatistics``, the TaskQueues statistics list, the bulk TaskQueue real-time
statistics (``POST`` a JSON body ``{"QueueSids": [...]}``) and one worker's cumulative
statistics. Cumulative figures cover ``Minutes`` (default 15) before ``EndDate`` (default now),
or ``StartDate`` to ``EndDate``, on the simulator clock.
"""
from __future__ import annotations

from flask import request

from ...current import sim
from ...domain.taskrouter import statistics as stats
from ...domain.taskrouter.events import window
from ...domain.taskrouter.task_queues import list_task_queues, task_queue_of
from ...domain.taskrouter.workers import worker_of
from ...domain.taskrouter.workflows import workflow_of
from ...wire import integer, list_v1, parse_json, text
from . import bp, workspace_of, ws_url


# -- parameters ------------------------------------------------------------------------------
def _channel(ws_sid: str) -> str | None:
    return stats.channel_name(sim(), ws_sid, text("TaskChannel"))


def _window():
    return window(sim(), minutes=integer("Minutes", minimum=1), start_date=text("StartDate"),
                  end_date=text("EndDate"))


def _cumulative_params(ws_sid: str, *, split: bool = True) -> dict:
    start, end = _window()
    params = {"start": start, "end": end, "channel": _channel(ws_sid)}
    if split:
        params["thresholds"] = stats.parse_thresholds(text("SplitByWaitTime"))
    return params


def _head(ws: dict, rest: str) -> dict:
    return {"account_sid": ws["account_sid"], "workspace_sid": ws["sid"],
            "url": ws_url(ws["sid"], rest)}


# -- the workspace -----------------------------------------------------------------------------
def _workspace_cumulative(ws: dict) -> dict:
    p = _cumulative_params(ws["sid"])
    return stats.workspace_cumulative(sim(), ws, p["start"], p["end"],
                                      channel=p["channel"], thresholds=p["thresholds"])


@bp.get("/Workspaces/<ws_sid>/Statistics")
def fetch_workspace_statistics(ws_sid):
    ws = workspace_of(ws_sid)
    cumulative = _workspace_cumulative(ws)
    realtime = stats.workspace_realtime(sim(), ws, channel=_channel(ws_sid))
    return {**_head(ws, "/Statistics"), "realtime": realtime, "cumulative": cumulative}


@bp.get("/Workspaces/<ws_sid>/RealTimeStatistics")
def fetch_workspace_real_time_statistics(ws_sid):
    ws = workspace_of(ws_sid)
    return {**_head(ws, "/RealTimeStatistics"),
            **stats.workspace_realtime(sim(), ws, channel=_channel(ws_sid))}


@bp.get("/Workspaces/<ws_sid>/CumulativeStatistics")
def fetch_workspace_cumulative_statistics(ws_sid):
    ws = workspace_of(ws_sid)
    return {**_head(ws, "/CumulativeStatistics"), **_workspace_cumulative(ws)}


# -- TaskQueues ----------------------------------------------------------------------------------
def _queue_cumulative(queue: dict, p: dict) -> dict:
    return stats.queue_cumulative(sim(), queue, p["start"], p["end"], channel=p["channel"],
                                  thresholds=p["thresholds"])


def _queue(ws_sid: str, sid: str) -> tuple[dict, dict]:
    ws = workspace_of(ws_sid)
    return ws, task_queue_of(sim(), ws_sid, sid)


@bp.get("/Workspaces/<ws_sid>/TaskQueues/<sid>/Statistics")
def fetch_task_queue_statistics(ws_sid, sid):
    ws, queue = _queue(ws_sid, sid)
    p = _cumulative_params(ws_sid)
    return {**_head(ws, f"/TaskQueues/{sid}/Statistics"), "task_queue_sid": sid,
            "cumulative": _queue_cumulative(queue, p),
            "realtime": stats.queue_realtime(sim(), queue, channel=p["channel"])}


@bp.get("/Workspaces/<ws_sid>/TaskQueues/<sid>/RealTimeStatistics")
def fetch_task_queue_real_time_statistics(ws_sid, sid):
    ws, queue = _queue(ws_sid, sid)
    return {**_head(ws, f"/TaskQueues/{sid}/RealTimeStatistics"), "task_queue_sid": sid,
            **stats.queue_realtime(sim(), queue, channel=_channel(ws_sid))}


@bp.get("/Workspaces/<ws_sid>/TaskQueues/<sid>/CumulativeStatistics")
def fetch_task_queue_cumulative_statistics(ws_sid, sid):
    ws, queue = _queue(ws_sid, sid)
    return {**_head(ws, f"/TaskQueues/{sid}/CumulativeStatistics"), "task_queue_sid": sid,
            **_queue_cumulative(queue, _cumulative_params(ws_sid))}


@bp.get("/Workspaces/<ws_sid>/TaskQueues/Statistics")
def list_task_queues_statistics(ws_sid):
    ws = workspace_of(ws_sid)
    p = _cumulative_params(ws_sid)

    def to_wire(queue: dict) -> dict:
        return {"account_sid": ws["account_sid"], "workspace_sid": ws_sid,
                "task_queue_sid": queue["sid"], "cumulative": _queue_cumulative(queue, p),
                "realtime": stats.queue_realtime(sim(), queue, channel=p["channel"])}

    fetch = list_task_queues(sim(), ws_sid, friendly_name=text("FriendlyName"))
    return list_v1("taskrouter", f"/v1/Workspaces/{ws_sid}/TaskQueues/Statistics",
                   "task_queues_statistics", fetch, to_wire)


@bp.post("/Workspaces/<ws_sid>/TaskQueues/RealTimeStatistics")
def create_task_queue_bulk_real_time_statistics(ws_sid):
    ws = workspace_of(ws_sid)
    raw = request.get_data(cache=True) if request.is_json else b""
    body = parse_json(raw) if raw.strip() else None   # not JSON: a 400 (20422)
    body = body if isinstance(body, dict) else {}
    sids = next((body[k] for k in ("QueueSids", "queueSids", "queue_sids") if k in body), None)
    data = stats.bulk_queue_realtime(sim(), ws_sid, sids)
    return {**_head(ws, "/TaskQueues/RealTimeStatistics"), "task_queue_data": data,
            "task_queue_response_count": len(data)}


# -- Workers -------------------------------------------------------------------------------------
def _workers_scope(ws_sid: str) -> tuple[list[dict], set[str] | None]:
    """The workers asked about and their SIDs (None: every worker, deleted ones included)."""
    name, queue_sid, queue_name = text("FriendlyName"), text("TaskQueueSid"), text("TaskQueueName")
    found = stats.workers_in_scope(sim(), ws_sid, friendly_name=name, task_queue_sid=queue_sid,
                                   task_queue_name=queue_name)
    narrowed = name is not None or queue_sid is not None or queue_name is not None
    return found, ({w["sid"] for w in found} if narrowed else None)


def _workers_cumulative(ws_sid: str, worker_sids: set[str] | None) -> dict:
    p = _cumulative_params(ws_sid, split=False)
    return stats.workers_cumulative(sim(), ws_sid, p["start"], p["end"], channel=p["channel"],
                                    worker_sids=worker_sids)


@bp.get("/Workspaces/<ws_sid>/Workers/Statistics")
def fetch_workers_statistics(ws_sid):
    ws = workspace_of(ws_sid)
    workers, sids = _workers_scope(ws_sid)
    return {**_head(ws, "/Workers/Statistics"),
            "realtime": stats.workers_realtime(sim(), ws_sid, workers),
            "cumulative": _workers_cumulative(ws_sid, sids)}


@bp.get("/Workspaces/<ws_sid>/Workers/RealTimeStatistics")
def fetch_workers_real_time_statistics(ws_sid):
    ws = workspace_of(ws_sid)
    _channel(ws_sid)   # validated; worker counts are not per channel
    workers, _ = _workers_scope(ws_sid)
    return {**_head(ws, "/Workers/RealTimeStatistics"),
            **stats.workers_realtime(sim(), ws_sid, workers)}


@bp.get("/Workspaces/<ws_sid>/Workers/CumulativeStatistics")
def fetch_workers_cumulative_statistics(ws_sid):
    ws = workspace_of(ws_sid)
    return {**_head(ws, "/Workers/CumulativeStatistics"), **_workers_cumulative(ws_sid, None)}


@bp.get("/Workspaces/<ws_sid>/Workers/<sid>/Statistics")
def fetch_worker_statistics(ws_sid, sid):
    ws = workspace_of(ws_sid)
    worker_of(sim(), ws_sid, sid)
    return {**_head(ws, f"/Workers/{sid}/Statistics"), "worker_sid": sid,
            "cumulative": _workers_cumulative(ws_sid, {sid})}


# -- Workflows -------------------------------------------------------------------------------------
def _workflow(ws_sid: str, sid: str) -> tuple[dict, dict]:
    ws = workspace_of(ws_sid)
    return ws, workflow_of(sim(), ws_sid, sid)


def _workflow_cumulative(workflow: dict, p: dict) -> dict:
    return stats.workflow_cumulative(sim(), workflow, p["start"], p["end"], channel=p["channel"],
                                     thresholds=p["thresholds"])


@bp.get("/Workspaces/<ws_sid>/Workflows/<sid>/Statistics")
def fetch_workflow_statistics(ws_sid, sid):
    ws, workflow = _workflow(ws_sid, sid)
    p = _cumulative_params(ws_sid)
    return {**_head(ws, f"/Workflows/{sid}/Statistics"), "workflow_sid": sid,
            "cumulative": _workflow_cumulative(workflow, p),
            "realtime": stats.workflow_realtime(sim(), workflow, channel=p["channel"])}


@bp.get("/Workspaces/<ws_sid>/Workflows/<sid>/RealTimeStatistics")
def fetch_workflow_real_time_statistics(ws_sid, sid):
    ws, workflow = _workflow(ws_sid, sid)
    return {**_head(ws, f"/Workflows/{sid}/RealTimeStatistics"), "workflow_sid": sid,
            **stats.workflow_realtime(sim(), workflow, channel=_channel(ws_sid))}


@bp.get("/Workspaces/<ws_sid>/Workflows/<sid>/CumulativeStatistics")
def fetch_workflow_cumulative_statistics(ws_sid, sid):
    ws, workflow = _workflow(ws_sid, sid)
    return {**_head(ws, f"/Workflows/{sid}/CumulativeStatistics"), "workflow_sid": sid,
            **_workflow_cumulative(workflow, _cumulative_params(ws_sid))}
