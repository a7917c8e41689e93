"""Assignment instructions: what a reservation's ``Instruction`` (REST) or an assignment
callback's answer asks TaskRouter to do, and the assignment callback itself.

``accept`` and ``reject`` are reservation status changes (reservations.py). The voice ones are
simulated with Calls records (domain/calls.py), each placed like an outbound call and moving
queued -> ringing -> in-progress -> completed on the simulator clock:

- ``call``: calls the worker (``to``, else the worker's ``contact_uri``) from ``from``; the
  call's ``url`` gets the voice webhook when answered. The reservation stays pending unless
  ``accept`` is true.
- ``dequeue`` (a task made by ``<Enqueue>``, whose attributes hold the caller's ``call_sid``):
  calls the worker from ``from`` (else the number the caller dialled, the task's ``to``) and
  accepts the reservation.
- ``redirect``: the call ``call_sid`` (a live call of the account) gets ``url`` as its new
  TwiML URL (the voice webhook at once when the call is in progress); ``accept`` accepts.
- ``conference``: calls the worker into a conference named by the TaskSid, with the caller
  (the task's ``call_sid``, or a call placed to its ``outbound_to``), and accepts.

``call`` and ``dequeue`` add the worker call's SID to the task's attributes as
``worker_call_sid``; ``conference`` adds ``conference: {sid, participants: {worker,
customer}}`` (what Flex reads). Each answers Twilio's code when the reservation is no longer
pending (40114, 40135, 40123, 40136) or a required parameter is missing.

The calls are placed once the reservation change is complete, outside the routing lock, so
that a status callback answered by code that calls the simulator back finds it free.
"""
from __future__ import annotations

import json
from typing import Protocol

from ...dates import parse_iso
from ...errors import TwilioError
from ...rules import taskrouter as rules
from ...scheduler import handler
from ..alerts import new_alert
from ..calls import EVENTS, FINAL, call_of, new_call
from ..webhooks import deliver
from . import engine
from .activities import own_activity
from .reservations import update_reservation
from .session import routing_change
from .tasks import update_task

CALL_EVENTS = tuple(EVENTS)   # initiated, ringing, answered, completed
NOT_PENDING = {"call": 40114, "redirect": 40123, "dequeue": 40135, "conference": 40136}
DEQUEUE_TIMEOUT_MAX = 999   # seconds the worker's phone rings (Twilio's default: 60)


def _attributes(s, task_sid: str) -> dict:
    task = s.store.require("tr_tasks", task_sid)
    return json.loads(task["attributes"])


def _contact_uri(s, reservation: dict) -> str | None:
    worker = s.store.get("tr_workers", reservation["worker_sid"])
    return json.loads(worker["attributes"]).get("contact_uri") if worker else None


def _dialled(s, reservation: dict) -> str | None:
    """The number the caller dialled: the task's ``to`` (or ``called``) attribute, else the
    ``to`` of its call."""
    attributes = _attributes(s, reservation["task_sid"])
    number = attributes.get("to") or attributes.get("called")
    if not number and attributes.get("call_sid"):
        call = s.store.get("calls", attributes["call_sid"])
        number = call["to"] if call else None
    return number or None


def _pending(s, reservation: dict, kind: str, if_match: str | None) -> dict:
    """The reservation as it is now, if it may take instruction ``kind``."""
    reservation = s.store.require("tr_reservations", reservation["sid"])
    engine.check_version(reservation, if_match)
    if reservation["reservation_status"] != "pending":
        raise TwilioError(NOT_PENDING[kind])
    return reservation


def _post_work_activity(s, reservation: dict, sid: str | None, code: int) -> None:
    if sid is None:
        return
    activity = s.store.get("tr_activities", sid)
    if activity is None or activity["workspace_sid"] != reservation["workspace_sid"]:
        raise TwilioError(code)


def _events(values, error: TwilioError) -> list[str]:
    """Call progress events given as a list or a space/comma separated string (default:
    completed only)."""
    if isinstance(values, str):
        values = [values]
    events = [e for v in values or () for e in str(v).replace(",", " ").split()]
    if any(e not in CALL_EVENTS for e in events):
        raise error
    return events or ["completed"]


def _place(s, reservation: dict, *, to: str, from_: str, url: str | None = None,
           status_callback: str | None = None, status_callback_method: str | None = None,
           events: list[str] | None = None, conference: dict | None = None) -> dict:
    call = new_call(s, reservation["account_sid"], to=to, from_=from_, number=None, url=url,
                    method="POST", twiml=None, status_callback=status_callback,
                    status_callback_method=(status_callback_method or "POST").upper(),
                    events=events or ["completed"])
    changes = {"task_sid": reservation["task_sid"], "reservation_sid": reservation["sid"]}
    if conference is not None:
        changes["conference"] = conference
    return s.store.update("calls", call["sid"], changes)


def _add_attributes(s, task_sid: str, added: dict) -> None:
    task = s.store.get("tr_tasks", task_sid)
    if task is None:
        return
    update_task(s, task, attributes=json.dumps({**json.loads(task["attributes"]), **added}))


def _current(s, reservation: dict) -> dict:
    return s.store.require("tr_reservations", reservation["sid"])


# -- the instructions ----------------------------------------------------------------------------
def call(s, reservation: dict, *, to: str | None = None, from_: str | None = None,
         url: str | None = None, accept: bool = False, status_callback_url: str | None = None,
         record=None, timeout: int | None = None, if_match: str | None = None) -> dict:
    """Call the worker; the call's ``url`` decides what it hears. ``record`` and ``timeout``
    are accepted (the simulated worker always answers)."""
    with routing_change(s):
        reservation = _pending(s, reservation, "call", if_match)
        to = to or _contact_uri(s, reservation)
        if not to:
            raise TwilioError(40110)
        if not from_:
            raise TwilioError(40111)
        if not url:
            raise TwilioError(40112)
        if accept:
            reservation = update_reservation(s, reservation, "accepted")
    worker_call = _place(s, reservation, to=to, from_=from_, url=url,
                         status_callback=status_callback_url)
    _add_attributes(s, reservation["task_sid"], {"worker_call_sid": worker_call["sid"]})
    return _current(s, reservation)


def dequeue(s, reservation: dict, *, to: str | None = None, from_: str | None = None,
            post_work_activity_sid: str | None = None, status_callback_url: str | None = None,
            status_callback_events=None, record=None, timeout: int | None = None,
            if_match: str | None = None) -> dict:
    """Connect the queued caller (the task's ``call_sid``) to the worker: accepted."""
    with routing_change(s):
        reservation = _pending(s, reservation, "dequeue", if_match)
        if not _attributes(s, reservation["task_sid"]).get("call_sid"):
            raise TwilioError(40140)
        to = to or _contact_uri(s, reservation)
        if not to:
            raise TwilioError(40131)
        from_ = from_ or _dialled(s, reservation)
        if not from_:
            raise TwilioError(40132)
        _post_work_activity(s, reservation, post_work_activity_sid, 40130)
        events = _events(status_callback_events, TwilioError(40134))
        if timeout is not None and not 1 <= timeout <= DEQUEUE_TIMEOUT_MAX:
            raise TwilioError.invalid("DequeueTimeout",
                                      f"must be between 1 and {DEQUEUE_TIMEOUT_MAX}")
        reservation = update_reservation(s, reservation, "accepted")
    worker_call = _place(s, reservation, to=to, from_=from_, status_callback=status_callback_url,
                         events=events)
    _add_attributes(s, reservation["task_sid"], {"worker_call_sid": worker_call["sid"]})
    return _current(s, reservation)


def redirect(s, reservation: dict, *, call_sid: str | None = None, url: str | None = None,
             accept: bool = False, if_match: str | None = None) -> dict:
    """Give a live call a new TwiML URL."""
    with routing_change(s):
        reservation = _pending(s, reservation, "redirect", if_match)
        if not url:
            raise TwilioError(40120)
        if not call_sid:
            raise TwilioError(40121)
        try:
            live = call_of(s, reservation["account_sid"], call_sid)
        except TwilioError:
            raise TwilioError(40122, f"Call {call_sid} is not a call of this account") from None
        if live["status"] in FINAL:
            raise TwilioError(40122, f"Call {call_sid} is {live['status']}")
        if accept:
            reservation = update_reservation(s, reservation, "accepted")
        live = s.store.update("calls", call_sid, {"url": url, "method": "POST",
                                                  "date_updated": s.now()})
    if live["status"] == "in-progress":
        deliver(s, live["account_sid"], url, _voice_params(live), kind="call-url",
                resource_sid=live["sid"])
    return _current(s, reservation)


def _voice_params(call: dict) -> dict:
    return {"CallSid": call["sid"], "AccountSid": call["account_sid"], "From": call["from"],
            "To": call["to"], "CallStatus": call["status"], "ApiVersion": "2010-04-01",
            "Direction": "outbound-api", "Caller": call["from"], "Called": call["to"]}


def conference(s, reservation: dict, *, to: str | None = None, from_: str | None = None,
               post_work_activity_sid: str | None = None, status_callback: str | None = None,
               status_callback_method: str | None = None, status_callback_events=None,
               if_match: str | None = None) -> dict:
    """Worker and caller in a conference named by the TaskSid; the reservation is accepted.
    The conference's own options (``Record``, ``Beep``, ``WaitUrl`` ...) are accepted."""
    with routing_change(s):
        reservation = _pending(s, reservation, "conference", if_match)
        attributes = _attributes(s, reservation["task_sid"])
        to = to or _contact_uri(s, reservation)
        if not to:
            raise TwilioError(40137)
        from_ = from_ or _dialled(s, reservation)
        if not from_:
            raise TwilioError(40138)
        customer_sid, outbound_to = attributes.get("call_sid"), attributes.get("outbound_to")
        if not customer_sid and not outbound_to:
            raise TwilioError(40142)
        if post_work_activity_sid is not None:
            ws = s.store.require("tr_workspaces", reservation["workspace_sid"])
            if ws["multi_task_enabled"]:
                raise TwilioError(40143, "PostWorkActivitySid is not valid in a multi-tasking "
                                         "Workspace")
            _post_work_activity(s, reservation, post_work_activity_sid, 40143)
        events = _events(status_callback_events, TwilioError.invalid(
            "StatusCallbackEvent", "must be initiated, ringing, answered or completed"))
        reservation = update_reservation(s, reservation, "accepted")
        room = {"sid": s.ids.sid("CF"), "friendly_name": reservation["task_sid"]}
    if not customer_sid:   # an outbound task: TaskRouter calls the customer too
        customer_sid = _place(s, reservation, to=outbound_to, from_=from_, conference=room)["sid"]
    elif s.store.get("calls", customer_sid) is not None:
        s.store.update("calls", customer_sid, {"conference": room})
    worker_call = _place(s, reservation, to=to, from_=from_, status_callback=status_callback,
                         status_callback_method=status_callback_method, events=events,
                         conference=room)
    _add_attributes(s, reservation["task_sid"], {"conference": {
        "sid": room["sid"], "participants": {"worker": worker_call["sid"],
                                             "customer": customer_sid}}})
    return _current(s, reservation)


# -- the assignment callback ----------------------------------------------------------------------
def _flag(value) -> bool:
    return value is True or str(value).lower() == "true"


def _timeout(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class Params(Protocol):
    """A door's reader of a request's parameters (the REST API's form, the event bridge's JSON):
    each method answers None when the parameter is absent, and raises Twilio's error when it is
    malformed."""

    def text(self, name: str) -> str | None: ...
    def boolean(self, name: str, default: bool | None = None) -> bool | None: ...
    def integer(self, name: str, *, minimum: int | None = None,
                maximum: int | None = None) -> int | None: ...
    def choice(self, name: str, allowed) -> str | None: ...
    def events(self, name: str) -> list[str] | None: ...


CONFERENCE_FLAGS = ("Record", "Muted", "StartConferenceOnEnter", "EndConferenceOnExit",
                    "EarlyMedia", "EndConferenceOnCustomerExit", "BeepOnCustomerEntrance")


def respond(s, reservation: dict, p: Params, *, if_match: str | None = None) -> dict:
    """A reservation update: a ``ReservationStatus`` or an ``Instruction`` (which wins when both
    are given) with the instruction's parameters, as the REST API and the event bridge take
    it. Returns the reservation as it then is."""
    instruction = p.choice("Instruction", rules.INSTRUCTIONS)
    status = p.choice("ReservationStatus", rules.RESERVATION_STATUSES)
    activity_sid = p.text("WorkerActivitySid")
    if activity_sid is not None:
        activity_sid = own_activity(s, reservation["workspace_sid"], activity_sid,
                                    "WorkerActivitySid")
    if instruction is None and status is None:
        raise TwilioError(20001, "Missing required parameter ReservationStatus or Instruction")
    if instruction == "accept" or (instruction is None and status == "accepted"):
        return update_reservation(s, reservation, "accepted", if_match=if_match)
    if instruction == "reject" or (instruction is None and status == "rejected"):
        return update_reservation(s, reservation, "rejected", worker_activity_sid=activity_sid,
                                  if_match=if_match)
    if instruction is None:   # canceled, wrapping, completed (others are refused there)
        return update_reservation(s, reservation, status, if_match=if_match)
    if instruction == "call":
        return call(s, reservation, to=p.text("CallTo"), from_=p.text("CallFrom"),
                    url=p.text("CallUrl"), accept=p.boolean("CallAccept", False),
                    record=p.text("CallRecord"), timeout=p.integer("CallTimeout", minimum=1),
                    status_callback_url=p.text("CallStatusCallbackUrl"), if_match=if_match)
    if instruction == "dequeue":
        return dequeue(s, reservation, to=p.text("DequeueTo"), from_=p.text("DequeueFrom"),
                       post_work_activity_sid=p.text("DequeuePostWorkActivitySid"),
                       record=p.text("DequeueRecord"), timeout=p.integer("DequeueTimeout"),
                       status_callback_url=p.text("DequeueStatusCallbackUrl"),
                       status_callback_events=p.events("DequeueStatusCallbackEvent"),
                       if_match=if_match)
    if instruction == "redirect":
        return redirect(s, reservation, call_sid=p.text("RedirectCallSid"),
                        url=p.text("RedirectUrl"), accept=p.boolean("RedirectAccept", False),
                        if_match=if_match)
    # The conference's own options are accepted when well formed (the simulated conference
    # does not act on them).
    for name in CONFERENCE_FLAGS:
        p.boolean(name)
    p.integer("Timeout", minimum=1)
    p.integer("MaxParticipants", minimum=2)
    return conference(s, reservation, to=p.text("To"), from_=p.text("From"),
                      post_work_activity_sid=p.text("PostWorkActivitySid"),
                      status_callback=p.text("StatusCallback"),
                      status_callback_method=p.choice("StatusCallbackMethod", ("GET", "POST")),
                      status_callback_events=p.events("StatusCallbackEvent"), if_match=if_match)


def carry_out(s, reservation: dict, answer: dict):
    """An assignment callback's instruction, its parameters in the answer's snake_case keys."""
    kind = answer.get("instruction")
    if kind == "accept":
        update_reservation(s, reservation, "accepted")
    elif kind == "reject":
        activity_sid = answer.get("activity_sid")
        if activity_sid is not None:
            _post_work_activity(s, reservation, activity_sid, 40100)
        update_reservation(s, reservation, "rejected", worker_activity_sid=activity_sid)
    elif kind == "call":
        call(s, reservation, to=answer.get("to"), from_=answer.get("from"), url=answer.get("url"),
             accept=_flag(answer.get("accept")), record=answer.get("record"),
             timeout=_timeout(answer.get("timeout")),
             status_callback_url=answer.get("status_callback_url"))
    elif kind == "dequeue":
        dequeue(s, reservation, to=answer.get("to"), from_=answer.get("from"),
                post_work_activity_sid=answer.get("post_work_activity_sid"),
                record=answer.get("record"), timeout=_timeout(answer.get("timeout")),
                status_callback_url=answer.get("status_callback_url"),
                status_callback_events=answer.get("status_callback_events"))
    elif kind == "redirect":
        redirect(s, reservation, call_sid=answer.get("call_sid"), url=answer.get("url"),
                 accept=_flag(answer.get("accept")))
    elif kind == "conference":
        conference(s, reservation, to=answer.get("to"), from_=answer.get("from"),
                   post_work_activity_sid=answer.get("post_work_activity_sid"),
                   status_callback=answer.get("status_callback"),
                   status_callback_method=answer.get("status_callback_method"),
                   status_callback_events=answer.get("status_callback_event"))
    else:
        raise TwilioError(40005, f"Unknown instruction {kind!r}")


def _callback_params(s, reservation: dict, task: dict, worker: dict) -> dict:
    age = int((s.clock.now() - parse_iso(task["date_created"])).total_seconds())
    return {
        "Timestamp": str(int(s.clock.now().timestamp())), "AccountSid": task["account_sid"],
        "WorkspaceSid": task["workspace_sid"], "WorkflowSid": task["workflow_sid"] or "",
        "TaskQueueSid": task["task_queue_sid"] or "", "WorkerSid": worker["sid"],
        "WorkerAttributes": worker["attributes"], "TaskSid": task["sid"],
        "TaskAttributes": task["attributes"], "TaskAge": str(age),
        "TaskPriority": str(task["priority"]), "ReservationSid": reservation["sid"],
    }


def _instruction(delivery: dict) -> tuple[dict | None, int | None]:
    """The callback's answer: (instruction, None), (None, None) to decide later over REST, or
    (None, Twilio's error code)."""
    body = (delivery.get("response_body") or "").strip()
    if not body:
        return None, None   # a bare 200: the reservation is answered later over REST
    if "json" not in (delivery.get("response_content_type") or ""):
        return None, 40000
    try:
        answer = json.loads(body)
    except (ValueError, RecursionError):
        return None, 40001
    if not isinstance(answer, dict):
        return None, 40001
    if not answer:
        return None, None   # {}: the reservation is answered later over REST
    if "instruction" not in answer:
        return None, 40005
    return answer, None


def _answered(delivery: dict) -> bool:
    return delivery["error"] is None and 200 <= (delivery["response_status"] or 0) < 300


@handler(engine.CALLBACK)
def _assignment_callback(s, timer):
    """POST the workflow's AssignmentCallbackUrl (its fallback when that fails) and carry out
    the instruction the answer holds."""
    reservation = s.store.get("tr_reservations", timer["target"])
    if reservation is None or reservation["reservation_status"] != "pending":
        return
    task = s.store.require("tr_tasks", reservation["task_sid"])
    worker = s.store.require("tr_workers", reservation["worker_sid"])
    workflow = s.store.require("tr_workflows", task["workflow_sid"])
    params = _callback_params(s, reservation, task, worker)
    delivery = deliver(s, task["account_sid"], workflow["assignment_callback_url"], params,
                       kind="assignment-callback", resource_sid=reservation["sid"])
    if not _answered(delivery) and workflow.get("fallback_assignment_callback_url"):
        delivery = deliver(s, task["account_sid"], workflow["fallback_assignment_callback_url"],
                           params, kind="assignment-callback-fallback",
                           resource_sid=reservation["sid"])
    if not _answered(delivery):
        return   # the outbox raised 11200 for the failed delivery
    answer, code = _instruction(delivery)
    if code is not None:
        new_alert(s, task["account_sid"], code, url=delivery["url"],
                  resource_sid=reservation["sid"], response_status=delivery["response_status"],
                  response_body=delivery["response_body"])
        return
    if answer is None:
        return
    try:
        carry_out(s, reservation, answer)
    except TwilioError as e:
        new_alert(s, task["account_sid"], e.code if e.code >= 40000 else 40005,
                  url=delivery["url"], resource_sid=reservation["sid"],
                  response_status=delivery["response_status"],
                  response_body=delivery["response_body"], detail=e.message)
