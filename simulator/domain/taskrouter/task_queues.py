"""TaskRouter TaskQueues: the workers a queue offers tasks to (its TargetWorkers
expression over worker attributes)."""
from __future__ import annotations

import json

from ...errors import TwilioError
from ...rules import taskrouter as rules
from . import child_of
from .events import emit


def new_task_queue(s, ws: dict, friendly_name: str, *, target_workers: str | None = None,
                   max_reserved_workers: int = 1, task_order: str = "FIFO",
                   reservation_activity_sid: str | None = None,
                   assignment_activity_sid: str | None = None) -> dict:
    target = target_workers if target_workers is not None else rules.DEFAULT_TARGET_WORKERS
    if target:
        rules.parse_expression(target, "TargetWorkers")
    now = s.now()
    s.routing.forget(ws["sid"])
    queue = s.store.insert("tr_task_queues", {
        "sid": s.ids.sid("WQ"), "account_sid": ws["account_sid"], "workspace_sid": ws["sid"],
        "friendly_name": friendly_name, "target_workers": target,
        "max_reserved_workers": max_reserved_workers, "task_order": task_order,
        "reservation_activity_sid": reservation_activity_sid,
        "assignment_activity_sid": assignment_activity_sid,
        "date_created": now, "date_updated": now,
    })
    emit(s, ws["sid"], "task-queue.created", queue["sid"], f"TaskQueue {friendly_name} created",
         {"task_queue_sid": queue["sid"], "task_queue_name": friendly_name,
          "task_queue_target_expression": target})
    return queue


def worker_in_queue(queue: dict, worker: dict) -> bool:
    return rules.matches_target(queue["target_workers"], json.loads(worker["attributes"]))


def task_queue_of(s, ws_sid: str, sid: str) -> dict:
    return child_of(s, "tr_task_queues", ws_sid, sid)


def task_queues_of(s, ws_sid: str) -> list[dict]:
    return s.store.owned("tr_task_queues", ws_sid)


def check_task_queue_name(s, ws: dict, name: str | None, current: str | None = None) -> None:
    """TaskQueue names are unique in a workspace (keeping one's own name is no conflict):
    Twilio answers a taken one with 400/20001."""
    if name is None or name == current:
        return
    if s.store.owned("tr_task_queues", ws["sid"], where=lambda q: q["friendly_name"] == name,
                     limit=1):
        raise rules.duplicate_name("Queue", name, ws["sid"], ws["account_sid"])


def list_task_queues(s, ws_sid: str, *, friendly_name: str | None = None,
                     worker_attributes: dict | None = None, newest_first: bool = False):
    """Queues by name, or those whose TargetWorkers match ``worker_attributes``."""
    def where(q):
        if friendly_name is not None and q["friendly_name"] != friendly_name:
            return False
        if worker_attributes is not None:
            return bool(q["target_workers"]) and rules.matches(q["target_workers"],
                                                               worker_attributes)
        return True

    return s.store.pager("tr_task_queues", ws_sid, where=where, newest_first=newest_first)


def update_task_queue(s, queue: dict, changes: dict) -> dict:
    """A queue's new TargetWorkers or order applies to the tasks already waiting in it."""
    s.routing.forget(queue["workspace_sid"])
    updated = s.modify("tr_task_queues", queue, changes)
    if "target_workers" in changes and changes["target_workers"] != queue["target_workers"]:
        emit(s, queue["workspace_sid"], "task-queue.expression.updated", queue["sid"],
             f"TaskQueue {updated['friendly_name']} TargetWorkers updated",
             {"task_queue_sid": queue["sid"], "task_queue_name": updated["friendly_name"],
              "task_queue_target_expression": updated["target_workers"]})
    return updated


def delete_task_queue(s, queue: dict) -> None:
    """A queue a workflow routes to stays until the workflow is changed."""
    sid = queue["sid"]
    for wf in s.store.owned("tr_workflows", queue["workspace_sid"]):
        if sid in wf["configuration"]:
            raise TwilioError(20409, f"TaskQueue {sid} is used by Workflow {wf['sid']}; "
                                     "change the workflow first")
    s.routing.forget(queue["workspace_sid"])
    s.store.delete("tr_task_queues", sid)
    emit(s, queue["workspace_sid"], "task-queue.deleted", sid,
         f"TaskQueue {queue['friendly_name']} deleted",
         {"task_queue_sid": sid, "task_queue_name": queue["friendly_name"]})
