"""2010 Messages: create, fetch, list, update (redact, cancel), delete; Media.

A created message starts ``queued`` (``accepted`` with a Messaging Service,
``scheduled`` with ``ScheduleType=fixed``) and moves on the simulator clock through
``sending`` and ``sent`` to ``delivered``, or to ``undelivered`` with 30032 when a
toll-free number without an approved verification writes to the US or Canada.
Each change after the first POSTs the signed ``StatusCallback``. Inbound messages
(from the control plane) reach the number's ``SmsUrl``; a TwiML ``<Message>``
reply becomes an ``outbound-reply`` message; STOP/START keywords opt out and in.
"""
from __future__ import annotations

import mimetypes
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

from flask import current_app

from ...errors import TwilioError
from ...rules import messaging as mrules
from ...rules import numbers as nrules
from ...runtime import sim
from ...scheduler import cancel, handler, schedule
from ...wire import iso, list_2010, params, parse_iso, rfc2822, text
from . import bp as api
from ._common import request_account

DEFAULT_SETTINGS = {
    "queued": 0,          # seconds from accepted to queued (Messaging Service)
    "sending": 1,         # seconds from queued to sending
    "sent": 1,            # seconds from sending to sent
    "delivered": 1,       # seconds from sent to the final status
    "tollfree_auto_approve_seconds": None,   # approve toll-free verifications after N s
    "call_ringing": 1,    # seconds from queued to ringing (Calls)
    "call_answer": 2,     # seconds from ringing to in-progress
    "call_duration": 5,   # seconds from in-progress to completed
    "price": "-0.00790",
    "price_unit": "USD",
}
FINAL = ("delivered", "undelivered", "failed", "received", "canceled", "read")
STEPS = ("accepted", "queued", "sending", "sent", "final")


# -- settings -------------------------------------------------------------------------------
def messaging_settings() -> dict:
    stored = sim().store.get("sim_settings", "messaging") or {}
    return {**DEFAULT_SETTINGS, **{k: v for k, v in stored.items()
                                   if k in DEFAULT_SETTINGS}}


def update_messaging_settings(changes: dict) -> dict:
    unknown = set(changes) - set(DEFAULT_SETTINGS)
    if unknown:
        raise TwilioError(400, f"Unknown messaging settings: {', '.join(sorted(unknown))}")
    for key, value in changes.items():
        if key in ("price", "price_unit"):
            if not isinstance(value, str):
                raise TwilioError(400, f"{key} must be a string")
            continue
        if value is not None and (not isinstance(value, (int, float)) or value < 0):
            raise TwilioError(400, f"{key} must be a number of seconds >= 0 (or null)")
    s = sim()
    if s.store.get("sim_settings", "messaging") is None:
        s.store.insert("sim_settings", {"sid": "messaging", "kind": "messaging", **changes})
    else:
        s.store.update("sim_settings", "messaging", changes)
    return messaging_settings()


# -- look-ups ---------------------------------------------------------------------------------
def _number(account_sid: str, e164: str) -> dict | None:
    found = sim().store.owned("incoming_phone_numbers", account_sid,
                              where=lambda n: n["phone_number"] == e164, limit=1)
    return found[0] if found else None


def _sender(number: dict | None) -> mrules.Sender | None:
    if number is None:
        return None
    caps = number["capabilities"]
    return mrules.Sender(number["phone_number"], bool(caps.get("sms")), bool(caps.get("mms")),
                         number["number_type"], number["iso_country"])


def _opt_out_key(account_sid: str, scope: str, recipient: str) -> str:
    return f"{account_sid}:{scope}:{recipient}"


def is_opted_out(account_sid: str, scopes: list[str], recipient: str) -> bool:
    store = sim().store
    return any(store.get("opt_outs", _opt_out_key(account_sid, s, recipient)) for s in scopes if s)


def opt_out(account_sid: str, scopes: list[str], recipient: str):
    s = sim()
    for scope in scopes:
        if scope and s.store.get("opt_outs", _opt_out_key(account_sid, scope, recipient)) is None:
            s.store.insert("opt_outs", {"sid": _opt_out_key(account_sid, scope, recipient),
                                        "account_sid": account_sid, "scope": scope,
                                        "recipient": recipient, "date_created": s.now()})


def opt_in(account_sid: str, scopes: list[str], recipient: str):
    for scope in scopes:
        if scope:
            sim().store.delete("opt_outs", _opt_out_key(account_sid, scope, recipient))


def _pick_from_pool(service: dict, to: nrules.PhoneNumber | None) -> dict | None:
    from ..messaging.services import pool
    numbers = [n for n in pool(service["sid"], service["account_sid"])
               if n["capabilities"].get("sms")]
    if not numbers:
        return None
    if to is not None:
        if service.get("sticky_sender"):
            previous = sim().store.get("sticky_senders", f"{service['sid']}:{to.e164}")
            if previous:
                same = [n for n in numbers if n["phone_number"] == previous["from"]]
                if same:
                    return same[0]
        same_area = [n for n in numbers if to.area_code
                     and n["phone_number"][2:5] == to.area_code]
        same_country = [n for n in numbers if n["iso_country"] == to.country
                        or (n["iso_country"] in ("US", "CA") and to.country in ("US", "CA"))]
        for group in (same_area, same_country):
            if group:
                return group[0]
    return numbers[0]


# -- records ----------------------------------------------------------------------------------
def to_wire(m: dict) -> dict:
    base = f"/2010-04-01/Accounts/{m['account_sid']}/Messages/{m['sid']}"
    return {
        "body": m["body"],
        "num_segments": str(m["num_segments"]),
        "direction": m["direction"],
        "from": m["from"],
        "to": m["to"],
        "date_updated": rfc2822(m["date_updated"]),
        "price": m["price"],
        "error_message": m["error_message"],
        "uri": f"{base}.json",
        "account_sid": m["account_sid"],
        "num_media": str(m["num_media"]),
        "status": m["status"],
        "messaging_service_sid": m["messaging_service_sid"],
        "sid": m["sid"],
        "date_sent": rfc2822(m["date_sent"]),
        "date_created": rfc2822(m["date_created"]),
        "error_code": m["error_code"],
        "price_unit": m["price_unit"],
        "api_version": "2010-04-01",
        "subresource_uris": {"media": f"{base}/Media.json", "feedback": f"{base}/Feedback.json"},
    }


def media_to_wire(me: dict) -> dict:
    return {
        "account_sid": me["account_sid"],
        "content_type": me["content_type"],
        "date_created": rfc2822(me["date_created"]),
        "date_updated": rfc2822(me["date_updated"]),
        "parent_sid": me["message_sid"],
        "sid": me["sid"],
        "uri": f"/2010-04-01/Accounts/{me['account_sid']}/Messages/{me['message_sid']}"
               f"/Media/{me['sid']}.json",
    }


def _content_type(url: str) -> str:
    guessed, _ = mimetypes.guess_type(url.split("?")[0])
    return guessed or "application/octet-stream"


def new_message(account_sid: str, *, to: str, from_: str, body: str | None,
                direction: str = "outbound-api", status: str = "queued",
                service_sid: str | None = None, media_urls: list | None = None,
                status_callback: str | None = None, status_callback_method: str = "POST",
                send_at: str | None = None, store: bool = True, sid_prefix: str | None = None,
                segments: int | None = None) -> dict:
    s = sim()
    now = s.now()
    media_urls = list(media_urls or [])
    prefix = sid_prefix or ("MM" if media_urls else "SM")
    message = {
        "sid": s.ids.sid(prefix),
        "account_sid": account_sid,
        "messaging_service_sid": service_sid,
        "from": from_,
        "to": to,
        "body": body or "",
        "status": status,
        "direction": direction,
        "num_segments": segments if segments is not None else mrules.segments(body),
        "num_media": len(media_urls),
        "error_code": None,
        "error_message": None,
        "price": None,
        "price_unit": messaging_settings()["price_unit"],
        "date_created": now,
        "date_updated": now,
        "date_sent": now if direction == "inbound" else None,
        "status_callback": status_callback,
        "status_callback_method": status_callback_method,
        "send_at": send_at,
    }
    if not store:
        return message
    s.store.insert("messages", message)
    for url in media_urls:
        s.store.insert("message_media", {
            "sid": s.ids.sid("ME"), "account_sid": account_sid, "message_sid": message["sid"],
            "content_type": _content_type(url), "url": url, "date_created": now,
            "date_updated": now})
    return message


def start_lifecycle(message: dict):
    """Schedule the first status change after creation (none for the initial status)."""
    settings = messaging_settings()
    if message["status"] == "accepted":
        schedule("message.step", message["sid"], settings["queued"], {"status": "queued"})
    elif message["status"] == "queued":
        schedule("message.step", message["sid"], settings["sending"], {"status": "sending"})
    elif message["status"] == "scheduled":
        due = (parse_iso(message["send_at"]) - sim().clock.now()).total_seconds()
        schedule("message.step", message["sid"], max(due, 0), {"status": "queued"})


def carrier_override(recipient: str) -> dict | None:
    """The outcome the control plane set for messages to ``recipient`` (or None)."""
    return sim().store.get("carrier_outcomes", recipient)


def set_carrier_override(recipient: str, status: str | None, error_code=None) -> dict | None:
    s = sim()
    s.store.delete("carrier_outcomes", recipient)
    if status is None:
        return None
    code = mrules.check_carrier_override(status, error_code)
    return s.store.insert("carrier_outcomes", {"sid": recipient, "kind": "carrier",
                                               "status": status, "error_code": code})


def _final_outcome(m: dict) -> tuple[str, int | None]:
    from ..messaging.tollfree_verifications import latest_status
    number = _number(m["account_sid"], m["from"])
    to = nrules.parse(m["to"])
    blocked = False
    if number is not None and to is not None:
        blocked = mrules.tollfree_blocked(_sender(number), to, latest_status(number["sid"]))
    return mrules.outcome(blocked, carrier_override(m["to"]))


@handler("message.step")
def _step(timer):
    s = sim()
    m = s.store.get("messages", timer["target"])
    if m is None or m["status"] in FINAL:
        return
    status = timer["data"]["status"]
    settings = messaging_settings()
    at = timer["due"]   # the step happened when it was due, however late the clock moved
    changes = {"date_updated": at}
    following = None
    if status == "queued":
        following = ("sending", settings["sending"])
    elif status == "sending":
        following = ("sent", settings["sent"])
    elif status == "sent" and (carrier_override(m["to"]) or {}).get("status") == "failed":
        status, code = _final_outcome(m)   # failed: never handed to the carrier
        changes.update({"error_code": code, "error_message": TwilioError(code).message})
    elif status == "sent":
        changes.update({"date_sent": at, "price": settings["price"]})
        following = ("final", settings["delivered"])
    elif status == "final":
        status, code = _final_outcome(m)
        if code is not None:
            changes.update({"error_code": code,
                            "error_message": TwilioError(code).message})
    changes["status"] = status
    if status == "queued" and m["num_segments"] == 0:
        changes["num_segments"] = mrules.segments(m["body"])
    m = s.store.update("messages", m["sid"], changes)
    _status_callback(m)
    if following is not None:
        schedule("message.step", m["sid"], following[1], {"status": following[0]},
                 base=timer["due"])


def _status_callback(m: dict):
    url = m.get("status_callback")
    if not url:
        return
    from ...webhooks import deliver
    payload = {
        "SmsSid": m["sid"], "SmsStatus": m["status"], "MessageStatus": m["status"],
        "To": m["to"], "MessageSid": m["sid"], "AccountSid": m["account_sid"],
        "From": m["from"], "ApiVersion": "2010-04-01",
    }
    if m["messaging_service_sid"]:
        payload["MessagingServiceSid"] = m["messaging_service_sid"]
    if m["error_code"] is not None:
        payload["ErrorCode"] = str(m["error_code"])
    if m["status"] in ("delivered", "undelivered"):
        payload["RawDlrDoneDate"] = parse_iso(m["date_updated"]).strftime("%y%m%d%H%M")
    deliver(m["account_sid"], url, payload, method=m.get("status_callback_method") or "POST",
            kind="message-status", resource_sid=m["sid"])


# -- sending --------------------------------------------------------------------------------------
def _send_at(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise TwilioError.invalid("SendAt", "must be an ISO 8601 timestamp") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    if when <= sim().clock.now():
        raise TwilioError.invalid("SendAt", "must be in the future")
    return iso(when)


def send(account: dict, *, to: str | None, from_: str | None, service_sid: str | None,
         body: str | None, media_urls: list, status_callback: str | None = None,
         status_callback_method: str = "POST", direction: str = "outbound-api",
         schedule_type: str | None = None, send_at: str | None = None) -> dict:
    """Validate with Twilio's rules and create an outbound message (live credentials)."""
    s = sim()
    service = None
    if service_sid:
        service = s.store.get("messaging_services", service_sid)
    to_parsed = nrules.parse(to) if to else None
    facts_from = from_
    if to and (from_ or service_sid) and (body or media_urls):
        if service_sid and (service is None or service["account_sid"] != account["sid"]):
            raise TwilioError(21701, f"The Messaging Service {service_sid} does not exist")
        if service is not None and not from_:
            picked = _pick_from_pool(service, to_parsed)
            if picked is None:
                raise TwilioError(21704)
            facts_from = picked["phone_number"]
    sender_record = _number(account["sid"], nrules.normalize(facts_from)) if facts_from else None
    scopes = [facts_from and nrules.normalize(facts_from),
              sender_record and sender_record.get("messaging_service_sid"), service_sid]
    from .outgoing_caller_ids import find_caller_id
    facts = mrules.SendFacts(
        to=to, from_=facts_from, service_sid=service_sid, body=body, media_urls=media_urls,
        trial=account["type"] == "Trial",
        sender=lambda e164: _sender(_number(account["sid"], e164)),
        opted_out=lambda e164: is_opted_out(account["sid"], scopes, e164),
        verified=lambda e164: find_caller_id(account["sid"], e164) is not None,
    )
    to_parsed = mrules.validate_send(facts)
    for url in media_urls:
        mrules.check_url(url, "MediaUrl", code=21620)
    if status_callback:
        mrules.check_url(status_callback, "StatusCallback", code=21609)
    elif service is not None and service.get("status_callback"):
        status_callback = service["status_callback"]
    if schedule_type is not None:
        if service is None:
            raise TwilioError.invalid("MessagingServiceSid", "is required to schedule a message")
        if send_at is None:
            raise TwilioError.invalid("SendAt", "is required with ScheduleType=fixed")
        status = "scheduled"
    else:
        status = "accepted" if service is not None else "queued"
    message = new_message(
        account["sid"], to=to_parsed.e164, from_=nrules.normalize(facts_from),
        body=mrules.trial_body(body, account["type"] == "Trial"), direction=direction,
        status=status, service_sid=service["sid"] if service else None, media_urls=media_urls,
        status_callback=status_callback, status_callback_method=status_callback_method,
        send_at=send_at, segments=0 if service is not None else None)
    if service is not None:   # sticky sender: the next message to this recipient uses it too
        key = f"{service['sid']}:{message['to']}"
        if s.store.get("sticky_senders", key) is None:
            s.store.insert("sticky_senders", {"sid": key, "account_sid": account["sid"],
                                              "from": message["from"]})
        else:
            s.store.update("sticky_senders", key, {"from": message["from"]})
    start_lifecycle(message)
    return message


@api.post("/Accounts/<account_sid>/Messages.json")
def create_message(account_sid):
    account, test = request_account(account_sid)
    form = params()
    to = form.get("To") or None
    from_ = form.get("From") or None
    service_sid = form.get("MessagingServiceSid") or None
    body = form.get("Body")
    media_urls = [u for u in form.getlist("MediaUrl") if u]
    content_sid = form.get("ContentSid") or None
    method = (form.get("StatusCallbackMethod") or "POST").upper()
    if method not in ("GET", "POST"):
        raise TwilioError.invalid("StatusCallbackMethod", "must be GET or POST")
    schedule_type = form.get("ScheduleType")
    if schedule_type is not None and schedule_type != "fixed":
        raise TwilioError.invalid("ScheduleType", "must be fixed")
    send_at = _send_at(form.get("SendAt"))
    if test:
        mrules.check_required(to, from_, service_sid, body, media_urls, content_sid)
        mrules.test_credentials_send(nrules.normalize(to), from_ and nrules.normalize(from_),
                                     service_sid)
        message = new_message(account["sid"], to=nrules.normalize(to),
                              from_=nrules.normalize(from_), body=body, media_urls=media_urls,
                              store=False)
        return to_wire(message), 201
    message = send(account, to=to, from_=from_, service_sid=service_sid, body=body,
                   media_urls=media_urls, status_callback=form.get("StatusCallback") or None,
                   status_callback_method=method, schedule_type=schedule_type, send_at=send_at)
    return to_wire(message), 201


def _date_filter(name: str):
    value = params().get(name)
    if value is None or value == "":
        return None
    try:
        if len(value) == 10:
            return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=timezone.utc), True
        return datetime.fromisoformat(value.replace("Z", "+00:00")), False
    except ValueError:
        raise TwilioError.invalid(name, "must be a date (YYYY-MM-DD) or ISO 8601 timestamp") \
            from None


@api.get("/Accounts/<account_sid>/Messages.json")
def list_messages(account_sid):
    account, _ = request_account(account_sid)
    to = text("To")
    from_ = text("From")
    on = _date_filter("DateSent")
    before = _date_filter("DateSent<")
    after_ = _date_filter("DateSent>")
    to = nrules.normalize(to) if to else None
    from_ = nrules.normalize(from_) if from_ else None

    def where(m):
        if to is not None and m["to"] != to:
            return False
        if from_ is not None and m["from"] != from_:
            return False
        if on or before or after_:
            if not m["date_sent"]:
                return False
            sent = parse_iso(m["date_sent"])
            if on and sent.date() != on[0].date():   # DateSent matches the day
                return False
            if before and not (sent.date() <= before[0].date() if before[1] else sent <= before[0]):
                return False
            if after_ and not (sent.date() >= after_[0].date() if after_[1] else sent >= after_[0]):
                return False
        return True

    fetch = sim().store.pager("messages", account["sid"], newest_first=True, where=where)

    return list_2010(f"/2010-04-01/Accounts/{account['sid']}/Messages.json", "messages", fetch,
                     to_wire)


def message_of(account_sid: str, sid: str) -> dict:
    m = sim().store.get("messages", sid)
    if m is None or m["account_sid"] != account_sid:
        raise TwilioError.not_found()
    return m


@api.get("/Accounts/<account_sid>/Messages/<sid>.json")
def fetch_message(account_sid, sid):
    account, _ = request_account(account_sid)
    return to_wire(message_of(account["sid"], sid))


@api.post("/Accounts/<account_sid>/Messages/<sid>.json")
def update_message(account_sid, sid):
    account, _ = request_account(account_sid)
    m = message_of(account["sid"], sid)
    form = params()
    body = form.get("Body")
    status = form.get("Status")
    if body is not None and body != "":
        raise TwilioError.invalid("Body", "can only be set to an empty string (to redact)")
    if status is not None and status != "canceled":
        raise TwilioError.invalid("Status", "can only be canceled")
    changes = {}
    if status == "canceled":
        if m["status"] != "scheduled":
            raise TwilioError(30409, f"Message {sid} is {m['status']}; only scheduled messages "
                                     "can be canceled")
        cancel(m["sid"], "message.step")
        changes["status"] = "canceled"
    if body == "":
        changes["body"] = ""
    m = sim().modify("messages", m, changes)
    if "status" in changes:
        _status_callback(m)
    return to_wire(m)


@api.delete("/Accounts/<account_sid>/Messages/<sid>.json")
def delete_message(account_sid, sid):
    account, _ = request_account(account_sid)
    m = message_of(account["sid"], sid)
    if m["status"] in ("queued", "sending", "accepted"):
        raise TwilioError(20009, f"Message {sid} is still {m['status']}")
    cancel(m["sid"])
    for me in sim().store.owned("message_media", m["sid"]):
        sim().store.delete("message_media", me["sid"])
    sim().store.delete("messages", m["sid"])
    return "", 204


@api.get("/Accounts/<account_sid>/Messages/<message_sid>/Media.json")
def list_media(account_sid, message_sid):
    account, _ = request_account(account_sid)
    m = message_of(account["sid"], message_sid)

    fetch = sim().store.pager("message_media", m["sid"])

    return list_2010(f"/2010-04-01/Accounts/{account['sid']}/Messages/{m['sid']}/Media.json",
                     "media_list", fetch, media_to_wire)


def _media(account_sid, message_sid, sid):
    account, _ = request_account(account_sid)
    m = message_of(account["sid"], message_sid)
    me = sim().store.get("message_media", sid)
    if me is None or me["message_sid"] != m["sid"]:
        raise TwilioError.not_found()
    return me


@api.get("/Accounts/<account_sid>/Messages/<message_sid>/Media/<sid>.json")
def fetch_media(account_sid, message_sid, sid):
    return media_to_wire(_media(account_sid, message_sid, sid))


@api.delete("/Accounts/<account_sid>/Messages/<message_sid>/Media/<sid>.json")
def delete_media(account_sid, message_sid, sid):
    me = _media(account_sid, message_sid, sid)
    sim().store.delete("message_media", me["sid"])
    return "", 204


# -- inbound ------------------------------------------------------------------------------------
def receive(from_: str, to: str, body: str | None, media_urls: list | None = None) -> dict:
    """An SMS from a handset to a Twilio number: store it, handle keywords, POST the
    number's webhook and turn a TwiML ``<Message>`` reply into outbound-reply messages."""
    from_parsed = nrules.parse(from_)
    if from_parsed is None:
        raise TwilioError(21211, f"'From' {from_} is not a valid phone number")
    number = None
    to_norm = nrules.normalize(to)
    found = sim().store.find("incoming_phone_numbers", lambda n: n["phone_number"] == to_norm)
    if found:
        number = found[0]
    if number is None:
        raise TwilioError(21606 if nrules.parse(to) else 21211,
                          f"{to} is not a phone number of any account")
    account_sid = number["account_sid"]
    service = None
    if number.get("messaging_service_sid"):
        service = sim().store.get("messaging_services", number["messaging_service_sid"])
    message = new_message(account_sid, to=number["phone_number"], from_=from_parsed.e164,
                          body=body, direction="inbound", status="received",
                          service_sid=service["sid"] if service else None,
                          media_urls=media_urls or [])
    scopes = [number["phone_number"], service["sid"] if service else None]
    word = mrules.keyword(body)
    if word == "stop":
        opt_out(account_sid, scopes, from_parsed.e164)
    elif word == "start":
        opt_in(account_sid, scopes, from_parsed.e164)
    url, method = number.get("sms_url"), number.get("sms_method") or "POST"
    if service is not None and service.get("inbound_request_url") and not service.get(
            "use_inbound_webhook_on_number"):
        url, method = service["inbound_request_url"], service.get("inbound_method") or "POST"
    result = {"message": message, "delivery": None, "replies": []}
    if not url:
        return result
    to_info = nrules.parse(number["phone_number"])
    payload = {
        "ToCountry": to_info.country if to_info else "", "ToState": (to_info.region or "")
        if to_info else "", "SmsMessageSid": message["sid"], "NumMedia": str(message["num_media"]),
        "ToCity": "", "FromZip": "", "SmsSid": message["sid"],
        "FromState": from_parsed.region or "", "SmsStatus": "received", "FromCity": "",
        "Body": body or "", "FromCountry": from_parsed.country, "To": number["phone_number"],
        "ToZip": "", "NumSegments": str(message["num_segments"]),
        "MessageSid": message["sid"], "AccountSid": account_sid, "From": from_parsed.e164,
        "ApiVersion": "2010-04-01",
    }
    if service is not None:
        payload["MessagingServiceSid"] = service["sid"]
    for i, media in enumerate(sim().store.owned("message_media", message["sid"])):
        payload[f"MediaContentType{i}"] = media["content_type"]
        payload[f"MediaUrl{i}"] = media["url"]
    from ...webhooks import deliver
    delivery = deliver(account_sid, url, payload, method=method, kind="incoming-message",
                       resource_sid=message["sid"])
    fallback = (service or {}).get("fallback_url") if url != number.get("sms_url") \
        else number.get("sms_fallback_url")
    if fallback and not (200 <= (delivery["response_status"] or 0) < 300):
        fallback_method = ((service or {}).get("fallback_method") if url != number.get("sms_url")
                           else number.get("sms_fallback_method")) or "POST"
        delivery = deliver(account_sid, fallback, payload, method=fallback_method,
                           kind="incoming-message-fallback", resource_sid=message["sid"])
    result["delivery"] = delivery
    if word in ("stop", "start") or delivery["response_status"] is None or not (
            200 <= delivery["response_status"] < 300):
        return result  # Twilio answers opt-out keywords itself and ignores the reply
    for reply in _twiml_messages(delivery["response_body"]):
        account = sim().store.get("accounts", account_sid)
        try:
            result["replies"].append(send(
                account, to=reply.get("to") or from_parsed.e164,
                from_=reply.get("from") or number["phone_number"], service_sid=None,
                body=reply["body"], media_urls=reply["media"], direction="outbound-reply",
                status_callback=reply.get("statusCallback")))
        except TwilioError as e:
            current_app.logger.info("TwiML <Message> reply refused: %s", e)
    return result


def _twiml_messages(xml: str | None) -> list[dict]:
    if not xml or "<Response" not in xml:
        return []
    try:
        root = ET.fromstring(xml.strip())
    except ET.ParseError:
        return []
    replies = []
    for el in root.iter("Message"):
        body_el = el.find("Body")
        body = body_el.text if body_el is not None else el.text
        media = [m.text.strip() for m in el.findall("Media") if m.text]
        replies.append({"body": (body or "").strip(), "media": media, "to": el.get("to"),
                        "from": el.get("from"), "statusCallback": el.get("statusCallback")})
    return replies
