"""Control plane for issue 3 (numbers, messaging, calls, webhooks) under /_sim/v1/.

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

from ..errors import TwilioError
from ..runtime import sim
from .routes import _body, _loopback_only

messaging_control = Blueprint("control_messaging", __name__, url_prefix="/_sim/v1")
messaging_control.before_request(_loopback_only)


def _string(data: dict, name: str, required: bool = False) -> str | None:
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise TwilioError(400, f"{name} is required")
        return None
    if not isinstance(value, str):
        raise TwilioError(400, f"{name} must be a string")
    return value


def _main_account_sid() -> str:
    accounts = sim().store.find("accounts", lambda a: a["owner_account_sid"] == a["sid"])
    if not accounts:
        raise TwilioError(400, "No account in the simulator")
    return accounts[0]["sid"]


def _message_json(m: dict) -> dict:
    from ..products.api.messages import to_wire
    return to_wire(m)


@messaging_control.post("/messages/inbound")
def inbound_message():
    from ..products.api.messages import receive
    data = _body()
    media = data.get("MediaUrl") or []
    if isinstance(media, str):
        media = [media]
    if not isinstance(media, list) or not all(isinstance(m, str) for m in media):
        raise TwilioError(400, "MediaUrl must be a URL or a list of URLs")
    from_ = _string(data, "From", required=True)
    to = _string(data, "To", required=True)
    result = receive(from_, to, _string(data, "Body"), media)
    delivery = result["delivery"]
    return {
        "message": _message_json(result["message"]),
        "webhook": _delivery_json(delivery) if delivery else None,
        "replies": [_message_json(m) for m in result["replies"]],
    }, 201


def _verification(sid: str) -> dict:
    v = sim().store.get("tollfree_verifications", sid)
    if v is None:
        raise TwilioError.not_found(f"/_sim/v1/tollfree-verifications/{sid}")
    return v


@messaging_control.post("/tollfree-verifications/<sid>/<action>")
def move_verification(sid, action):
    from ..products.messaging.tollfree_verifications import set_status, to_wire
    v = _verification(sid)
    data = _body()
    if action == "review":
        v = set_status(v, "IN_REVIEW")
    elif action == "approve":
        v = set_status(v, "TWILIO_APPROVED")
    elif action == "reject":
        code = data.get("error_code")
        if code is not None:
            try:
                code = int(code)
            except (TypeError, ValueError):
                raise TwilioError(400, "error_code must be an integer") from None
        v = set_status(v, "TWILIO_REJECTED", reason=_string(data, "reason"), error_code=code)
    else:
        raise TwilioError.not_found(request.path)
    return to_wire(v)


@messaging_control.post("/caller-ids")
def verify_caller_id():
    from ..products.api.outgoing_caller_ids import new_caller_id, to_wire
    data = _body()
    account_sid = _string(data, "AccountSid") or _main_account_sid()
    if sim().store.get("accounts", account_sid) is None:
        raise TwilioError(400, f"No account {account_sid}")
    phone = _string(data, "PhoneNumber", required=True)
    return to_wire(new_caller_id(account_sid, phone, _string(data, "FriendlyName"))), 201


@messaging_control.post("/messaging/carrier")
def set_carrier_outcome():
    """{"To", "status": "undelivered"|"failed"|null, "error_code"?}: how the carrier treats
    later messages to ``To`` (null: delivered again)."""
    from ..products.api.messages import set_carrier_override
    data = _body()
    to = _string(data, "To", required=True)
    status = _string(data, "status")
    code = data.get("error_code")
    if code is not None and not isinstance(code, int):
        raise TwilioError(400, "error_code must be an integer")
    return {"To": to, "outcome": set_carrier_override(to, status, code)}


@messaging_control.get("/messaging/settings")
def get_messaging_settings():
    from ..products.api.messages import messaging_settings
    return messaging_settings()


@messaging_control.post("/messaging/settings")
def set_messaging_settings():
    from ..products.api.messages import update_messaging_settings
    return update_messaging_settings(_body())


def _delivery_json(d: dict) -> dict:
    return {k: d[k] for k in ("sid", "account_sid", "kind", "resource_sid", "url", "signed_url",
                              "method", "params", "signature", "transport", "response_status",
                              "response_body", "error", "date_created")}


@messaging_control.get("/webhooks/deliveries")
def list_deliveries():
    from ..webhooks.outbox import deliveries
    account = request.args.get("account_sid")
    resource = request.args.get("resource_sid")
    kind = request.args.get("kind")
    rows = [d for d in deliveries(account)
            if (resource is None or d["resource_sid"] == resource)
            and (kind is None or d["kind"] == kind)]
    return {"deliveries": [_delivery_json(d) for d in rows]}


@messaging_control.get("/webhooks/settings")
def get_webhook_settings():
    from ..webhooks.outbox import transport_setting
    return {"transport": transport_setting()}


@messaging_control.post("/webhooks/settings")
def set_webhook_settings():
    from ..webhooks.outbox import TRANSPORTS, set_transport
    mode = _body().get("transport")
    if mode not in TRANSPORTS:
        raise TwilioError(400, f"transport must be one of {', '.join(TRANSPORTS)}")
    set_transport(mode)
    return {"transport": mode}
