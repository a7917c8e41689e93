"""Control plane: the customer's side of a contact center, under /_sim/v1/ (JSON bodies).

* ``POST /calls/inbound`` ``{From, To}``: a call from a handset; a Flex number's Voice IVR
  enqueues it (a ``voice`` task) -> ``{call, task_sid, webhook}``
* ``POST /calls/{CallSid}/hangup``: the caller hangs up -> ``{call}``
* ``GET /handsets/{E.164}/messages``: every SMS Twilio sent to that handset
* ``POST /webchat/{ConversationSid}/messages`` ``{Body, Identity?}``: the web-chat visitor
  writes -> the conversation message
* ``GET /webchat/{ConversationSid}/messages``: what the visitor sees

An SMS from a handset is ``POST /messages/inbound`` (control/messaging.py); it lands in the
customer's conversation when the number has an address configuration or a conversation holds
the pair.
"""
from __future__ import annotations

from flask import Blueprint

from ..current import sim
from ..domain import customers, inbound_calls
from ..domain.conversations.messages import delivery
from ..errors import TwilioError
from ..shapes.messaging import message_to_wire
from .guard import guard
from .routes import body

contact_center_control = Blueprint("control_contact_center", __name__, url_prefix="/_sim/v1")
contact_center_control.before_request(guard)


def _string(data: dict, name: str, required: bool = True) -> str | None:
    value = data.get(name)
    if value in (None, ""):
        if required:
            raise TwilioError(20422, f"{name} is required")
        return None
    if not isinstance(value, str):
        raise TwilioError(20422, f"{name} must be a string")
    return value


def _call_json(c: dict) -> dict:
    return {"sid": c["sid"], "account_sid": c["account_sid"], "from": c["from"], "to": c["to"],
            "status": c["status"], "direction": c.get("direction", "outbound-api"),
            "start_time": c["start_time"], "end_time": c["end_time"],
            "duration": c["duration"], "task_sid": c.get("task_sid")}


def _chat_message_json(m: dict) -> dict:
    return {"sid": m["sid"], "index": m["index"], "author": m["author"], "body": m["body"],
            "participant_sid": m["participant_sid"], "date_created": m["date_created"],
            "delivery": delivery(sim(), m)}


@contact_center_control.post("/calls/inbound")
def inbound_call():
    data = body()
    result = inbound_calls.receive_call(sim(), _string(data, "From"), _string(data, "To"))
    delivery_record = result["webhook"]
    return {"call": _call_json(result["call"]),
            "task_sid": result["task"]["sid"] if result["task"] else None,
            "webhook": None if delivery_record is None else {
                "url": delivery_record["url"], "status": delivery_record["response_status"],
                "transport": delivery_record.get("transport")}}, 201


@contact_center_control.post("/calls/<call_sid>/hangup")
def hang_up(call_sid):
    call = inbound_calls.find_call(sim(), call_sid)
    if call is None:
        raise TwilioError.not_found(f"/_sim/v1/calls/{call_sid}")
    return {"call": _call_json(inbound_calls.hang_up(sim(), call))}


@contact_center_control.get("/handsets/<number>/messages")
def handset_messages(number):
    return {"messages": [message_to_wire(m) for m in customers.handset_messages(sim(), number)]}


@contact_center_control.post("/webchat/<conversation_sid>/messages")
def visitor_writes(conversation_sid):
    data = body()
    message = customers.visitor_writes(sim(), conversation_sid, _string(data, "Body"),
                                       _string(data, "Identity", required=False))
    return _chat_message_json(message), 201


@contact_center_control.get("/webchat/<conversation_sid>/messages")
def visitor_reads(conversation_sid):
    conversation, found = customers.visitor_reads(sim(), conversation_sid)
    return {"conversation_sid": conversation["sid"], "state": conversation["state"],
            "messages": [_chat_message_json(m) for m in found]}

