"""Voice into Flex: a call Studio's Send to Flex enqueues, and how the call's end moves its
task.

``enqueue_call`` is ``<Enqueue workflowSid><Task>{attributes}</Task></Enqueue>``: a ``voice``
task whose attributes are the widget's plus what TaskRouter adds for a call (``call_sid``,
``account_sid``, ``from``, ``to``, ``called``, ``caller``, ``direction``, ``api_version``).
Accepting its reservation with the ``conference`` instruction (or the Agent Desktop's accept)
connects the worker (taskrouter/instructions.py). When the caller hangs up (``end_call``:
REST ``Status=completed`` or the control plane), a task still waiting is canceled
("hangup"), an assigned one moves to ``wrapping``, and the other calls of its conference end.
"""
from __future__ import annotations

import json

from ...errors import TwilioError
from ..calls import FINAL, end_call, on_call_ended
from ..taskrouter.tasks import create_task, update_task

HANGUP_REASON = "hangup"


def enqueue_call(s, call: dict, *, workflow_sid: str | None, attributes: dict,
                 priority: int | None = None, timeout: int | None = None) -> dict:
    workflow = s.store.get("tr_workflows", workflow_sid or "")
    if workflow is None or workflow["account_sid"] != call["account_sid"]:
        raise TwilioError.invalid("workflow", f"{workflow_sid} is not a Workflow of this "
                                              "account")
    ws = s.store.require("tr_workspaces", workflow["workspace_sid"])
    merged = {**attributes, "call_sid": call["sid"], "account_sid": call["account_sid"],
              "from": call["from"], "to": call["to"], "called": call["to"],
              "caller": call["from"], "direction": "inbound", "api_version": "2010-04-01"}
    s.store.update("calls", call["sid"], {"queue_workflow_sid": workflow["sid"]})
    task = create_task(s, ws, attributes=json.dumps(merged), task_channel="voice",
                       workflow_sid=workflow["sid"], priority=priority, timeout=timeout)
    s.store.update("calls", call["sid"], {"task_sid": task["sid"]})
    return s.store.get("tr_tasks", task["sid"])


def _call_ended(s, call: dict):
    task = s.store.get("tr_tasks", call.get("task_sid") or "")
    if task is None:
        return
    if task["assignment_status"] in ("pending", "reserved"):
        update_task(s, task, assignment_status="canceled", reason=HANGUP_REASON)
    elif task["assignment_status"] == "assigned":
        update_task(s, task, assignment_status="wrapping")
    room = (call.get("conference") or {}).get("sid")
    if room:   # the conference ends with the call: its other legs hang up too
        for other in s.store.owned("calls", call["account_sid"],
                                   where=lambda c: (c.get("conference") or {}).get("sid") == room
                                   and c["sid"] != call["sid"] and c["status"] not in FINAL):
            end_call(s, other, "completed")


on_call_ended(_call_ended)
