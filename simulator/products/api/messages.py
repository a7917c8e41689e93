"""2010 Messages: create, fetch, list, update (redact, cancel), delete; Media.

The lifecycle, sending and receiving are the domain's (``domain/messages.py``); this
door reads Twilio's parameters and renders the records.
"""
from __future__ import annotations

from datetime import datetime, timezone

from ...current import sim
from ...dates import iso, parse_param, rfc2822
from ...domain import messages
from ...errors import TwilioError
from ...rules import messaging as mrules
from ...rules import numbers as nrules
from ...shapes.messaging import message_to_wire
from ...wire import list_2010, params, text
from . import bp as api
from ._common import request_account


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


def _send_at(value: str | None) -> str | None:
    if value is None:
        return None
    when = parse_param(value, "SendAt", "an ISO 8601 timestamp")
    if when <= sim().clock.now():
        raise TwilioError.invalid("SendAt", "must be in the future")
    return iso(when)


def _given(form, name: str) -> str | None:
    """``form.get(name)``, without the exception werkzeug raises (and catches) inside ``get``
    for a parameter that is absent: a create leaves most of them out."""
    return form[name] if name in form else None


@api.post("/Accounts/<account_sid>/Messages.json")
def create_message(account_sid):
    account, test = request_account(account_sid)
    form = params()
    to = _given(form, "To") or None
    from_ = _given(form, "From") or None
    service_sid = _given(form, "MessagingServiceSid") or None
    body = _given(form, "Body")
    media_urls = [u for u in form.getlist("MediaUrl") if u] if "MediaUrl" in form else []
    content_sid = _given(form, "ContentSid") or None
    method = (_given(form, "StatusCallbackMethod") or "POST").upper()
    if method not in ("GET", "POST"):
        raise TwilioError.invalid("StatusCallbackMethod", "must be GET or POST")
    schedule_type = _given(form, "ScheduleType")
    if schedule_type is not None and schedule_type != "fixed":
        raise TwilioError.invalid("ScheduleType", "must be fixed")
    send_at = _send_at(_given(form, "SendAt"))
    content_variables = _given(form, "ContentVariables")
    if content_sid or content_variables is not None:
        mrules.check_required(to, from_, service_sid, body, media_urls, content_sid)
        mrules.check_content(content_sid, content_variables)
    if test:
        mrules.check_required(to, from_, service_sid, body, media_urls, content_sid)
        mrules.test_credentials_send(nrules.normalize(to), from_ and nrules.normalize(from_),
                                     service_sid)
        message = messages.new_message(sim(), account["sid"], to=nrules.normalize(to),
                                       from_=nrules.normalize(from_), body=body,
                                       media_urls=media_urls, store=False)
        return message_to_wire(message), 201
    message = messages.send(sim(), account, to=to, from_=from_, service_sid=service_sid,
                            body=body, media_urls=media_urls,
                            status_callback=_given(form, "StatusCallback") or None,
                            status_callback_method=method, schedule_type=schedule_type,
                            send_at=send_at)
    return message_to_wire(message), 201


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
    after = _date_filter("DateSent>")
    fetch = messages.list_messages(
        sim(), account["sid"], to=nrules.normalize(to) if to else None,
        from_=nrules.normalize(from_) if from_ else None, on=on, before=before, after=after)
    return list_2010(f"/2010-04-01/Accounts/{account['sid']}/Messages.json", "messages", fetch,
                     message_to_wire)


@api.get("/Accounts/<account_sid>/Messages/<sid>.json")
def fetch_message(account_sid, sid):
    account, _ = request_account(account_sid)
    return message_to_wire(messages.message_of(sim(), account["sid"], sid))


@api.post("/Accounts/<account_sid>/Messages/<sid>.json")
def update_message(account_sid, sid):
    account, _ = request_account(account_sid)
    s = sim()
    m = messages.message_of(s, account["sid"], sid)
    form = params()
    body = form.get("Body")
    status = form.get("Status")
    if body is not None and body != "":
        raise TwilioError.invalid("Body", "can only be set to an empty string (to redact)")
    if status is not None and status != "canceled":
        raise TwilioError.invalid("Status", "can only be canceled")
    return message_to_wire(messages.update_message(s, m, body=body, status=status))


@api.delete("/Accounts/<account_sid>/Messages/<sid>.json")
def delete_message(account_sid, sid):
    account, _ = request_account(account_sid)
    s = sim()
    messages.delete_message(s, messages.message_of(s, account["sid"], sid))
    return "", 204


@api.get("/Accounts/<account_sid>/Messages/<message_sid>/Media.json")
def list_media(account_sid, message_sid):
    account, _ = request_account(account_sid)
    s = sim()
    m = messages.message_of(s, account["sid"], message_sid)
    return list_2010(f"/2010-04-01/Accounts/{account['sid']}/Messages/{m['sid']}/Media.json",
                     "media_list", messages.list_media(s, m["sid"]), media_to_wire)


def _media(account_sid, message_sid, sid):
    account, _ = request_account(account_sid)
    s = sim()
    return messages.media_of(s, messages.message_of(s, account["sid"], message_sid), sid)


@api.get("/Accounts/<account_sid>/Messages/<message_sid>/Media/<sid>.json")
def fetch_media(account_sid, message_sid, sid):
    return media_to_wire(_media(account_sid, message_sid, sid))


@api.delete("/Accounts/<account_sid>/Messages/<message_sid>/Media/<sid>.json")
def delete_media(account_sid, message_sid, sid):
    messages.delete_media(sim(), _media(account_sid, message_sid, sid))
    return "", 204
