"""Control plane for numbers, messaging, calls and webhooks under /_sim/v1/.

* ``POST /messages/inbound``  {From, To, Body, MediaUrl?: [..]}: an SMS from a handset
* ``POST /tollfree-verifications/{Sid}/review|approve|reject``  (reject: {reason, error_code})
* ``POST /caller-ids``  {AccountSid?, PhoneNumber, FriendlyName?}: verify a caller ID
* ``POST /messaging/carrier``  {To, status: undelivered|failed|null, error_code?}
* ``GET|POST /messaging/settings``: status delays, auto-approval of toll-free verifications
* ``GET /webhooks/deliveries`` (?account_sid, ?resource_sid, ?kind): every delivery
* ``GET|POST /webhooks/settings``  {transport: auto|http|record}
"""
from __future__ import annotations

from flask import Blueprint, request

from ..current import sim
from ..domain import accounts, messages, numbers, settings, tollfree, webhooks
from ..errors import TwilioError
from ..shapes.messaging import caller_id_to_wire, message_to_wire, verification_to_wire
from .guard import guard
from .routes import body as _body

messaging_control = Blueprint("control_messaging", __name__, url_prefix="/_sim/v1")
messaging_control.before_request(guard)


def _string(data: dict, name: str, required: bool = False) -> str | None:
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise TwilioError(20422, f"Missing required parameter {name}")
        return None
    if not isinstance(value, str):
        raise TwilioError.invalid(name, "must be a string")
    return value


@messaging_control.post("/messages/inbound")
def inbound_message():
    data = _body()
    media = data.get("MediaUrl") or []
    if isinstance(media, str):
        media = [media]
    if not isinstance(media, list) or not all(isinstance(m, str) for m in media):
        raise TwilioError.invalid("MediaUrl", "must be a URL or a list of URLs")
    from_ = _string(data, "From", required=True)
    to = _string(data, "To", required=True)
    result = messages.receive(sim(), from_, to, _string(data, "Body"), media)
    delivery = result["delivery"]
    return {
        "message": message_to_wire(result["message"]),
        "webhook": _delivery_json(delivery) if delivery else None,
        "replies": [message_to_wire(m) for m in result["replies"]],
    }, 201


@messaging_control.post("/tollfree-verifications/<sid>/<action>")
def move_verification(sid, action):
    s = sim()
    v = tollfree.find_verification(s, sid)
    if v is None:
        raise TwilioError.not_found(f"/_sim/v1/tollfree-verifications/{sid}")
    data = _body()
    if action == "review":
        v = tollfree.set_status(s, v, "IN_REVIEW")
    elif action == "approve":
        v = tollfree.set_status(s, v, "TWILIO_APPROVED")
    elif action == "reject":
        code = data.get("error_code")
        if code is not None:
            try:
                code = int(code)
            except (TypeError, ValueError, OverflowError):
                raise TwilioError.invalid("error_code", "must be an integer") from None
        v = tollfree.set_status(s, v, "TWILIO_REJECTED", reason=_string(data, "reason"),
                                error_code=code)
    else:
        raise TwilioError.not_found(request.path)
    return verification_to_wire(v)


@messaging_control.post("/caller-ids")
def verify_caller_id():
    s = sim()
    data = _body()
    account_sid = accounts.default_account_sid(s, _string(data, "AccountSid"))
    phone = _string(data, "PhoneNumber", required=True)
    caller_id = numbers.new_caller_id(s, account_sid, phone, _string(data, "FriendlyName"))
    return caller_id_to_wire(caller_id), 201


@messaging_control.post("/messaging/carrier")
def set_carrier_outcome():
    """{"To", "status": "undelivered"|"failed"|null, "error_code"?}: how the carrier treats
    later messages to ``To`` (null: delivered again)."""
    data = _body()
    to = _string(data, "To", required=True)
    status = _string(data, "status")
    code = data.get("error_code")
    if code is not None and (isinstance(code, bool) or not isinstance(code, int)):
        raise TwilioError.invalid("error_code", "must be an integer")
    return {"To": to, "outcome": messages.set_carrier_override(sim(), to, status, code)}


@messaging_control.get("/messaging/settings")
def get_messaging_settings():
    return settings.messaging_settings(sim())


@messaging_control.post("/messaging/settings")
def set_messaging_settings():
    return settings.update_messaging_settings(sim(), _body())


def _delivery_json(d: dict) -> dict:
    return {k: d[k] for k in ("sid", "account_sid", "kind", "resource_sid", "url", "signed_url",
                              "method", "params", "signature", "transport", "response_status",
                              "response_body", "error", "date_created")}


@messaging_control.get("/webhooks/deliveries")
def list_deliveries():
    account = request.args.get("account_sid")
    resource = request.args.get("resource_sid")
    kind = request.args.get("kind")
    rows = [d for d in webhooks.deliveries(sim(), account)
            if (resource is None or d["resource_sid"] == resource)
            and (kind is None or d["kind"] == kind)]
    return {"deliveries": [_delivery_json(d) for d in rows]}


@messaging_control.get("/webhooks/settings")
def get_webhook_settings():
    return {"transport": webhooks.transport_setting(sim())}


@messaging_control.post("/webhooks/settings")
def set_webhook_settings():
    mode = _body().get("transport")
    if mode not in webhooks.TRANSPORTS:
        raise TwilioError.invalid("transport", f"must be one of {', '.join(webhooks.TRANSPORTS)}")
    webhooks.set_transport(sim(), mode)
    return {"transport": mode}
