"""Messages: create, send, receive, the status lifecycle, media, opt-outs and the carrier
outcomes the control plane sets.

A created message starts ``queued`` (``accepted`` with a Messaging Service,
``scheduled`` with ``ScheduleType=fixed``) and moves on the simulator clock through
``sending`` and ``sent`` to ``delivered``, or to ``undelivered`` with 30032 when a
toll-free number without an approved verification writes to the US or Canada.
Each change after the first POSTs the signed ``StatusCallback``. Inbound messages
reach the number's ``SmsUrl``; a TwiML ``<Message>`` reply becomes an
``outbound-reply`` message; STOP/START keywords opt out and in.
"""
from __future__ import annotations

import logging
import mimetypes
import xml.etree.ElementTree as ET
from datetime import datetime

from ..dates import parse_iso
from ..errors import TwilioError
from ..rules import messaging as mrules
from ..rules import numbers as nrules
from ..scheduler import handler
from . import applications
from .messaging_services import find_service, pool
from .numbers import find_caller_id, owner_of
from .settings import messaging_settings
from .tollfree import latest_status
from .webhooks import deliver

FINAL = ("delivered", "undelivered", "failed", "received", "canceled", "read")
STEPS = ("accepted", "queued", "sending", "sent", "final")
log = logging.getLogger("twilio_sim")


# -- look-ups ---------------------------------------------------------------------------------
def _number(s, account_sid: str, e164: str) -> dict | None:
    found = s.store.owned("incoming_phone_numbers", account_sid,
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


def is_opted_out(s, account_sid: str, scopes: list[str], recipient: str) -> bool:
    return any(s.store.get("opt_outs", _opt_out_key(account_sid, scope, recipient))
               for scope in scopes if scope)


def opt_out(s, account_sid: str, scopes: list[str], recipient: str):
    for scope in scopes:
        if scope and s.store.get("opt_outs", _opt_out_key(account_sid, scope, recipient)) is None:
            s.store.insert("opt_outs", {"sid": _opt_out_key(account_sid, scope, recipient),
                                        "account_sid": account_sid, "scope": scope,
                                        "recipient": recipient, "date_created": s.now()})


def opt_in(s, account_sid: str, scopes: list[str], recipient: str):
    for scope in scopes:
        if scope:
            s.store.delete("opt_outs", _opt_out_key(account_sid, scope, recipient))


def _pick_from_pool(s, service: dict, to: nrules.PhoneNumber | None) -> dict | None:
    numbers = [n for n in pool(s, service["sid"], service["account_sid"])
               if n["capabilities"].get("sms")]
    if not numbers:
        return None
    if to is not None:
        if service.get("sticky_sender"):
            previous = s.store.get("sticky_senders", f"{service['sid']}:{to.e164}")
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
def _content_type(url: str) -> str:
    guessed, _ = mimetypes.guess_type(url.split("?")[0])
    return guessed or "application/octet-stream"


def new_message(s, account_sid: str, *, to: str, from_: str, body: str | None,
                direction: str = "outbound-api", status: str = "queued",
                service_sid: str | None = None, media_urls: list | None = None,
                status_callback: str | None = None, status_callback_method: str = "POST",
                send_at: str | None = None, store: bool = True, sid_prefix: str | None = None,
                segments: int | None = None, settings: dict | None = None) -> dict:
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
        "price_unit": (settings or messaging_settings(s))["price_unit"],
        "date_created": now,
        "date_updated": now,
        "date_sent": now if direction == "inbound" else None,
        "status_callback": status_callback,
        "status_callback_method": status_callback_method,
        "send_at": send_at,
        # every status the message took, with when: the inspector shows it (Twilio does not)
        "status_history": [{"status": status, "at": now}],
    }
    if not store:
        return message
    s.store.insert("messages", message, returning=False)
    for url in media_urls:
        s.store.insert("message_media", {
            "sid": s.ids.sid("ME"), "account_sid": account_sid, "message_sid": message["sid"],
            "content_type": _content_type(url), "url": url, "date_created": now,
            "date_updated": now})
    return message


def message_of(s, account_sid: str, sid: str) -> dict:
    s.scheduler.catch_up(sid)   # its steps that are due, whatever the ticker has got to
    m = s.store.get("messages", sid)
    if m is None or m["account_sid"] != account_sid:
        raise TwilioError.not_found()
    return m


def list_messages(s, account_sid: str, *, to: str | None = None, from_: str | None = None,
                  on: tuple[datetime, bool] | None = None,
                  before: tuple[datetime, bool] | None = None,
                  after: tuple[datetime, bool] | None = None):
    """The pager of an account's messages, newest first. ``on``/``before``/``after`` filter
    DateSent: (moment, whether only its day counts)."""
    def where(m):
        if to is not None and m["to"] != to:
            return False
        if from_ is not None and m["from"] != from_:
            return False
        if on or before or after:
            if not m["date_sent"]:
                return False
            sent = parse_iso(m["date_sent"])
            if on and sent.date() != on[0].date():   # DateSent matches the day
                return False
            if before and not (sent.date() <= before[0].date() if before[1] else sent <= before[0]):
                return False
            if after and not (sent.date() >= after[0].date() if after[1] else sent >= after[0]):
                return False
        return True

    return s.store.pager("messages", account_sid, newest_first=True, where=where)


def update_message(s, m: dict, *, body: str | None = None, status: str | None = None) -> dict:
    """Redact (``body=""``) and/or cancel a scheduled message (30409 otherwise)."""
    changes = {}
    if status == "canceled":
        if m["status"] != "scheduled":
            raise TwilioError(30409, f"Message {m['sid']} is {m['status']}; only scheduled "
                                     "messages can be canceled")
        s.scheduler.cancel(m["sid"], "message.step")
        changes["status"] = "canceled"
        changes["status_history"] = _history(m, "canceled", s.now())
    if body == "":
        changes["body"] = ""
    m = s.modify("messages", m, changes)
    if "status" in changes:
        _status_callback(s, m)
    return m


def delete_message(s, m: dict):
    """Delete a message and its media; one still on its way cannot be (20009)."""
    if m["status"] in ("queued", "sending", "accepted"):
        raise TwilioError(20009, f"Message {m['sid']} is still {m['status']}")
    s.scheduler.cancel(m["sid"])
    for me in s.store.owned("message_media", m["sid"]):
        s.store.delete("message_media", me["sid"])
    s.store.delete("messages", m["sid"])


def list_media(s, message_sid: str):
    return s.store.pager("message_media", message_sid)


def media_of(s, message: dict, sid: str) -> dict:
    me = s.store.get("message_media", sid)
    if me is None or me["message_sid"] != message["sid"]:
        raise TwilioError.not_found()
    return me


def delete_media(s, media: dict):
    s.store.delete("message_media", media["sid"])


# -- lifecycle --------------------------------------------------------------------------------
def start_lifecycle(s, message: dict, settings: dict | None = None):
    """Schedule the first status change after creation (none for the initial status)."""
    settings = settings or messaging_settings(s)
    if message["status"] == "accepted":
        s.scheduler.schedule("message.step", message["sid"], settings["queued"],
                             {"status": "queued"})
    elif message["status"] == "queued":
        s.scheduler.schedule("message.step", message["sid"], settings["sending"],
                             {"status": "sending"})
    elif message["status"] == "scheduled":
        due = (parse_iso(message["send_at"]) - s.clock.now()).total_seconds()
        s.scheduler.schedule("message.step", message["sid"], max(due, 0), {"status": "queued"})


def carrier_override(s, recipient: str) -> dict | None:
    """The outcome the control plane set for messages to ``recipient`` (or None; read only)."""
    return s.store.peek("carrier_outcomes", recipient)


def set_carrier_override(s, recipient: str, status: str | None, error_code=None) -> dict | None:
    s.store.delete("carrier_outcomes", recipient)
    if status is None:
        return None
    code = mrules.check_carrier_override(status, error_code)
    return s.store.insert("carrier_outcomes", {"sid": recipient, "kind": "carrier",
                                               "status": status, "error_code": code})


def _final_outcome(s, m: dict) -> tuple[str, int | None]:
    number = _number(s, m["account_sid"], m["from"])
    blocked = False
    # only a toll-free sender can be blocked: its verification is looked up only then
    if number is not None and number["number_type"] == "toll_free":
        to = nrules.parse(m["to"])
        if to is not None:
            blocked = mrules.tollfree_blocked(_sender(number), to,
                                              latest_status(s, number["sid"]))
    return mrules.outcome(blocked, carrier_override(s, m["to"]))


def _history(m: dict, status: str, at: str, error_code: int | None = None) -> list[dict]:
    step = {"status": status, "at": at}
    if error_code is not None:
        step["error_code"] = error_code
    return [*m.get("status_history", []), step]


@handler("message.step")
def _step(s, timer):
    m = s.store.peek("messages", timer["target"])   # read only: the changes are a new dict
    if m is None or m["status"] in FINAL:
        return
    status = timer["data"]["status"]
    settings = messaging_settings(s)
    at = timer["due"]   # the step happened when it was due, however late the clock moved
    changes = {"date_updated": at}
    following = None
    if status == "queued":
        following = ("sending", settings["sending"])
    elif status == "sending":
        following = ("sent", settings["sent"])
    elif status == "sent" and (carrier_override(s, m["to"]) or {}).get("status") == "failed":
        status, code = _final_outcome(s, m)   # failed: never handed to the carrier
        changes.update({"error_code": code, "error_message": TwilioError(code).message})
    elif status == "sent":
        changes.update({"date_sent": at, "price": settings["price"]})
        following = ("final", settings["delivered"])
    elif status == "final":
        status, code = _final_outcome(s, m)
        if code is not None:
            changes.update({"error_code": code,
                            "error_message": TwilioError(code).message})
    changes["status"] = status
    changes["status_history"] = _history(m, status, at, changes.get("error_code"))
    if status == "queued" and m["num_segments"] == 0:
        changes["num_segments"] = mrules.segments(m["body"])
    # changes were built here (adopted as they are); m, the stored message, is left as it was
    s.store.update("messages", m["sid"], changes, adopt=True, returning=False)
    _status_callback(s, {**m, **changes})
    if following is not None:
        s.scheduler.schedule("message.step", m["sid"], following[1], {"status": following[0]},
                             base=timer["due"])


def _status_callback(s, m: dict):
    url = m.get("status_callback")
    if not url:
        return
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
    deliver(s, m["account_sid"], url, payload, method=m.get("status_callback_method") or "POST",
            kind="message-status", resource_sid=m["sid"])


# -- sending --------------------------------------------------------------------------------------
def send(s, account: dict, *, to: str | None, from_: str | None, service_sid: str | None,
         body: str | None, media_urls: list, status_callback: str | None = None,
         status_callback_method: str = "POST", direction: str = "outbound-api",
         schedule_type: str | None = None, send_at: str | None = None) -> dict:
    """Validate with Twilio's rules and create an outbound message (live credentials). The
    message, its media, the sticky sender and its first step are one store unit: stored
    together, or (when the journal refuses them) not at all."""
    service = None
    if service_sid:
        service = find_service(s, service_sid)
    facts_from = from_
    if to and (from_ or service_sid) and (body or media_urls):
        if service_sid and (service is None or service["account_sid"] != account["sid"]):
            raise TwilioError(21701, f"The Messaging Service {service_sid} does not exist")
        if service is not None and not from_:
            picked = _pick_from_pool(s, service, nrules.parse(to))
            if picked is None:
                raise TwilioError(21704)
            facts_from = picked["phone_number"]
    from_e164 = nrules.normalize(facts_from) if facts_from else None
    sender_record = _number(s, account["sid"], from_e164) if facts_from else None

    def sender(e164: str):   # the rules ask for the From number: it was just looked up
        return _sender(sender_record if e164 == from_e164 else _number(s, account["sid"], e164))

    scopes = [facts_from and from_e164,
              sender_record and sender_record.get("messaging_service_sid"), service_sid]
    facts = mrules.SendFacts(
        to=to, from_=facts_from, service_sid=service_sid, body=body, media_urls=media_urls,
        trial=account["type"] == "Trial",
        sender=sender,
        opted_out=lambda e164: is_opted_out(s, account["sid"], scopes, e164),
        verified=lambda e164: find_caller_id(s, account["sid"], e164) is not None,
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
    settings = messaging_settings(s)
    with s.store.atomic():
        message = new_message(
            s, account["sid"], to=to_parsed.e164, from_=from_e164,
            body=mrules.trial_body(body, account["type"] == "Trial"), direction=direction,
            status=status, service_sid=service["sid"] if service else None,
            media_urls=media_urls, status_callback=status_callback,
            status_callback_method=status_callback_method, send_at=send_at,
            segments=0 if service is not None else None, settings=settings)
        if service is not None:   # sticky sender: the next message to this recipient uses it
            key = f"{service['sid']}:{message['to']}"
            if s.store.get("sticky_senders", key) is None:
                s.store.insert("sticky_senders", {"sid": key, "account_sid": account["sid"],
                                                  "from": message["from"]})
            else:
                s.store.update("sticky_senders", key, {"from": message["from"]})
        start_lifecycle(s, message, settings)
    return message


# -- inbound ------------------------------------------------------------------------------------
_INBOUND_ROUTES: list = []


def add_inbound_route(route):
    """``route(s, message, number)`` may take an inbound SMS before the number's webhook does
    (Conversations: a conversation holding the pair, or the number's address configuration);
    it answers what it did, or None to leave the message to the webhook."""
    if route not in _INBOUND_ROUTES:
        _INBOUND_ROUTES.append(route)


def receive(s, from_: str, to: str, body: str | None, media_urls: list | None = None) -> dict:
    """An SMS from a handset to a Twilio number: store it, handle keywords, POST the
    number's webhook and turn a TwiML ``<Message>`` reply into outbound-reply messages."""
    from_parsed = nrules.parse(from_)
    if from_parsed is None:
        raise TwilioError(21211, f"'From' {from_} is not a valid phone number")
    number = owner_of(s, nrules.normalize(to))
    if number is None:
        raise TwilioError(21606 if nrules.parse(to) else 21211,
                          f"{to} is not a phone number of any account")
    number = applications.routed(s, number)   # its SmsApplicationSid answers instead
    account_sid = number["account_sid"]
    service = None
    if number.get("messaging_service_sid"):
        service = find_service(s, number["messaging_service_sid"])
    message = new_message(s, account_sid, to=number["phone_number"], from_=from_parsed.e164,
                          body=body, direction="inbound", status="received",
                          service_sid=service["sid"] if service else None,
                          media_urls=media_urls or [])
    scopes = [number["phone_number"], service["sid"] if service else None]
    word = mrules.keyword(body)
    if word == "stop":
        opt_out(s, account_sid, scopes, from_parsed.e164)
    elif word == "start":
        opt_in(s, account_sid, scopes, from_parsed.e164)
    result = {"message": message, "delivery": None, "replies": []}
    for route in _INBOUND_ROUTES:   # a conversation takes it before the number's webhook
        routed = route(s, message, number)
        if routed is not None:
            return {**result, "conversation": routed}
    url, method = number.get("sms_url"), number.get("sms_method") or "POST"
    if service is not None and service.get("inbound_request_url") and not service.get(
            "use_inbound_webhook_on_number"):
        url, method = service["inbound_request_url"], service.get("inbound_method") or "POST"
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
    for i, media in enumerate(s.store.owned("message_media", message["sid"])):
        payload[f"MediaContentType{i}"] = media["content_type"]
        payload[f"MediaUrl{i}"] = media["url"]
    delivery = deliver(s, account_sid, url, payload, method=method, kind="incoming-message",
                       resource_sid=message["sid"])
    fallback = (service or {}).get("fallback_url") if url != number.get("sms_url") \
        else number.get("sms_fallback_url")
    if fallback and not (200 <= (delivery["response_status"] or 0) < 300):
        fallback_method = ((service or {}).get("fallback_method") if url != number.get("sms_url")
                           else number.get("sms_fallback_method")) or "POST"
        delivery = deliver(s, account_sid, fallback, payload, method=fallback_method,
                           kind="incoming-message-fallback", resource_sid=message["sid"])
    result["delivery"] = delivery
    if word in ("stop", "start") or delivery["response_status"] is None or not (
            200 <= delivery["response_status"] < 300):
        return result  # Twilio answers opt-out keywords itself and ignores the reply
    for reply in _twiml_messages(delivery["response_body"]):
        account = s.store.get("accounts", account_sid)
        try:
            result["replies"].append(send(
                s, account, to=reply.get("to") or from_parsed.e164,
                from_=reply.get("from") or number["phone_number"], service_sid=None,
                body=reply["body"], media_urls=reply["media"], direction="outbound-reply",
                status_callback=reply.get("statusCallback")))
        except TwilioError as e:
            log.info("TwiML <Message> reply refused: %s", e)
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

