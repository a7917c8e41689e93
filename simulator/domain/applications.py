"""2010 Applications (AP...): a set of voice and messaging URLs a phone number can point
to (its ``VoiceApplicationSid`` / ``SmsApplicationSid``) instead of carrying its own."""
from __future__ import annotations

from ..errors import TwilioError

DEFAULTS = {
    "friendly_name": None, "api_version": "2010-04-01",
    "voice_url": None, "voice_method": "POST",
    "voice_fallback_url": None, "voice_fallback_method": "POST",
    "status_callback": None, "status_callback_method": "POST",
    "voice_caller_id_lookup": False,
    "sms_url": None, "sms_method": "POST",
    "sms_fallback_url": None, "sms_fallback_method": "POST",
    "sms_status_callback": None, "message_status_callback": None,
    "public_application_connect_enabled": False,
}
NUMBER_FIELDS = ("voice_application_sid", "sms_application_sid")
# what an application answers for a number that points to it
VOICE_FIELDS = ("voice_url", "voice_method", "voice_fallback_url", "voice_fallback_method",
                "status_callback", "status_callback_method")
SMS_FIELDS = ("sms_url", "sms_method", "sms_fallback_url", "sms_fallback_method")


def new_application(s, account_sid: str, settings: dict) -> dict:
    """An Application of the account; ``settings`` are fields of ``DEFAULTS``."""
    now = s.now()
    return s.store.insert("applications", {
        **DEFAULTS, **settings, "sid": s.ids.sid("AP"), "account_sid": account_sid,
        "date_created": now, "date_updated": now,
    })


def application_of(s, account_sid: str, sid: str) -> dict:
    app = s.store.get("applications", sid)
    if app is None or app["account_sid"] != account_sid:
        raise TwilioError.not_found()
    return app


def exists(s, account_sid: str, sid: str) -> bool:
    app = s.store.get("applications", sid)
    return app is not None and app["account_sid"] == account_sid


def list_applications(s, account_sid: str, friendly_name: str | None = None):
    return s.store.pager("applications", account_sid,
                         where=(lambda a: a["friendly_name"] == friendly_name)
                         if friendly_name is not None else None)


def update_application(s, app: dict, changes: dict) -> dict:
    return s.modify("applications", app, changes)


def delete_application(s, app: dict) -> None:
    """The account's numbers that pointed to it point to no Application any more."""
    with s.store.lock:
        for number in s.store.owned("incoming_phone_numbers", app["account_sid"],
                                    where=lambda n: app["sid"] in (n.get(f) for f in
                                                                   NUMBER_FIELDS)):
            s.modify("incoming_phone_numbers", number,
                     {f: None for f in NUMBER_FIELDS if number.get(f) == app["sid"]})
        s.store.delete("applications", app["sid"])


def routed(s, number: dict) -> dict:
    """The number as inbound traffic sees it: when its ``voice_application_sid`` names an
    Application, that Application's voice URLs, methods and status callback answer its calls
    (the number's own are ignored, as on Twilio); ``sms_application_sid`` likewise for its
    messages."""
    seen = dict(number)
    for field, names in (("voice_application_sid", VOICE_FIELDS),
                         ("sms_application_sid", SMS_FIELDS)):
        app = s.store.get("applications", number[field]) if number.get(field) else None
        if app is not None:
            seen.update({name: app[name] for name in names})
    return seen
