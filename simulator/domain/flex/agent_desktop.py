"""What a Flex user does from the Agent Desktop: their own status, and their tasks.

A task of a conversation (a Flex interaction) shows its conversation (the customer, the
messages); the agent replies into it. Its "wrap up" closes the interaction channel (the task
wraps up, the conversation closes), "complete" completes the task. A voice task shows its
call; "accept" issues the ``conference`` instruction (the agent's call joins the caller), and
"wrap up" hangs up a call still going (the task then wraps up).
"""
from __future__ import annotations

import json

from ...errors import TwilioError
from ..calls import FINAL as CALL_ENDED
from ..conversations.core import find_conversation
from ..conversations.messages import add_message, delivery, messages_of
from ..conversations.participants import participant_by_identity
from ..inbound_calls import hang_up
from ..taskrouter.activities import activities_of
from ..taskrouter.instructions import conference
from ..taskrouter.reservations import update_reservation
from ..taskrouter.workers import update_worker
from .interactions import channel_of_task, close_channel, worker_identity

# the Agent Desktop's buttons and the reservation status each one sets
ANSWERS = {"accept": "accepted", "reject": "rejected", "wrap": "wrapping", "complete": "completed"}


def worker_of_user(s, user: dict) -> dict | None:
    """The Flex user's TaskRouter worker (None once deleted)."""
    return s.store.get("tr_workers", user["worker_sid"])


def set_own_activity(s, user: dict, wanted) -> dict:
    """The status menu: the user's worker moves to the activity named by ``wanted``
    (its SID or friendly name). Not an instance change, so every role may do it."""
    activity = next((a for a in activities_of(s, user["workspace_sid"])
                     if wanted in (a["sid"], a["friendly_name"])), None)
    if activity is None:
        raise TwilioError.invalid("activity", f"{wanted!r} is not an activity of this workspace")
    worker = s.store.require("tr_workers", user["worker_sid"])
    return update_worker(s, worker, activity_sid=activity["sid"])


def desk_reservations(s, user: dict) -> list[tuple[dict, dict]]:
    """The user's incoming (pending) and active (accepted, wrapping) reservations, oldest
    first, each with its task."""
    found = s.store.owned("tr_reservations", user["worker_sid"],
                          where=lambda r: r["reservation_status"] in ("pending", "accepted",
                                                                      "wrapping"))
    pairs = [(r, s.store.get("tr_tasks", r["task_sid"])) for r in found]
    return [(r, t) for r, t in pairs if t is not None]


def answer_reservation(s, user: dict, reservation_sid: str, action) -> dict:
    """Accept, reject, wrap up or complete one of the user's own reservations."""
    if action not in ANSWERS:
        raise TwilioError.invalid("action", f"must be one of {', '.join(ANSWERS)}")
    reservation = s.store.get("tr_reservations", reservation_sid)
    if reservation is None or reservation["worker_sid"] != user["worker_sid"]:
        raise TwilioError.not_found()
    task = s.store.get("tr_tasks", reservation["task_sid"]) or {}
    call = _customer_call(s, task)
    if action == "accept" and call is not None and call["status"] not in CALL_ENDED:
        return conference(s, reservation)
    if action == "wrap" and reservation["reservation_status"] == "accepted":
        channel = channel_of_task(s, task)
        if channel is not None and channel["status"] not in ("closed", "inactive", "failed"):
            close_channel(s, channel, "closed")
            return s.store.get("tr_reservations", reservation["sid"])
        if call is not None and call["status"] not in CALL_ENDED:
            hang_up(s, call)
            return s.store.get("tr_reservations", reservation["sid"])
    return update_reservation(s, reservation, ANSWERS[action])


def _attributes(task: dict) -> dict:
    try:
        value = json.loads(task.get("attributes") or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _customer_call(s, task: dict) -> dict | None:
    sid = _attributes(task).get("call_sid")
    return s.store.get("calls", sid) if sid else None


def task_context(s, task: dict) -> dict:
    """What the desk shows besides the task: its ``conversation`` (customer, messages) or its
    ``call``."""
    out = {}
    channel = channel_of_task(s, task)
    conversation = find_conversation(s, channel["media_channel_sid"] or "") if channel else None
    if conversation is not None:
        attributes = _attributes(task)
        out["conversation"] = {
            "sid": conversation["sid"], "state": conversation["state"],
            "interaction_sid": channel["interaction_sid"], "channel_sid": channel["sid"],
            "channel_type": channel["type"], "channel_status": channel["status"],
            "customer": attributes.get("customerAddress"),
            "customer_name": attributes.get("customerName"),
            "messages": [{"index": m["index"], "author": m["author"], "body": m["body"],
                          "date_created": m["date_created"], "delivery": delivery(s, m)}
                         for m in messages_of(s, conversation["sid"])]}
    call = _customer_call(s, task)
    if call is not None:
        out["call"] = {"sid": call["sid"], "from": call["from"], "to": call["to"],
                       "status": call["status"],
                       "conference_sid": (call.get("conference") or {}).get("sid")}
    return out


def active_tasks(s, worker_sid: str) -> list[dict]:
    """A worker's accepted and wrapping tasks, for supervisors' monitoring (read-only)."""
    out = []
    for r in s.store.owned("tr_reservations", worker_sid,
                           where=lambda r: r["reservation_status"] in ("accepted", "wrapping")):
        task = s.store.get("tr_tasks", r["task_sid"])
        if task is None:
            continue
        context = task_context(s, task)
        out.append({"task_sid": task["sid"], "reservation_sid": r["sid"],
                    "reservation_status": r["reservation_status"],
                    "task_status": task["assignment_status"],
                    "task_channel": task["task_channel_unique_name"],
                    "customer": _attributes(task).get("customerAddress")
                    or _attributes(task).get("from"),
                    "conversation_sid": (context.get("conversation") or {}).get("sid"),
                    "call_sid": (context.get("call") or {}).get("sid")})
    return out


def send_message(s, user: dict, task_sid: str, body) -> dict:
    """The agent writes into the conversation of one of their accepted (or wrapping) tasks."""
    if not isinstance(body, str) or not body:
        raise TwilioError.invalid("body", "a message needs a body")
    mine = s.store.owned("tr_reservations", user["worker_sid"], limit=1,
                         where=lambda r: r["task_sid"] == task_sid
                         and r["reservation_status"] in ("accepted", "wrapping"))
    task = s.store.get("tr_tasks", task_sid) if mine else None
    channel = channel_of_task(s, task) if task else None
    conversation = find_conversation(s, channel["media_channel_sid"] or "") if channel else None
    if conversation is None:
        raise TwilioError.not_found()
    worker = s.store.require("tr_workers", user["worker_sid"])
    identity = worker_identity(worker)
    return add_message(s, conversation, author=identity, body=body,
                       participant=participant_by_identity(s, conversation["sid"], identity),
                       source="SDK")
