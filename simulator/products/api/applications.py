"""2010 Applications: /2010-04-01/Accounts/{AccountSid}/Applications.json (create, list by
FriendlyName) and /Applications/{Sid}.json (fetch, update, delete); SDK
``client.applications``. A number's ``VoiceApplicationSid`` / ``SmsApplicationSid`` names one.
"""
from __future__ import annotations

from ...auth import path_account
from ...current import sim
from ...dates import rfc2822
from ...domain import applications
from ...errors import TwilioError
from ...wire import boolean, list_2010, params, text
from . import bp as api
from ._common import http_method, url_param

API_VERSIONS = ("2010-04-01", "2008-08-01")
URLS = {"VoiceUrl": "voice_url", "VoiceFallbackUrl": "voice_fallback_url",
        "StatusCallback": "status_callback", "SmsUrl": "sms_url",
        "SmsFallbackUrl": "sms_fallback_url", "SmsStatusCallback": "sms_status_callback",
        "MessageStatusCallback": "message_status_callback"}
HTTP_METHODS = {"VoiceMethod": "voice_method", "VoiceFallbackMethod": "voice_fallback_method",
                "StatusCallbackMethod": "status_callback_method", "SmsMethod": "sms_method",
                "SmsFallbackMethod": "sms_fallback_method"}
BOOLEANS = {"VoiceCallerIdLookup": "voice_caller_id_lookup",
            "PublicApplicationConnectEnabled": "public_application_connect_enabled"}


def to_wire(a: dict) -> dict:
    return {
        "account_sid": a["account_sid"],
        "api_version": a["api_version"],
        "date_created": rfc2822(a["date_created"]),
        "date_updated": rfc2822(a["date_updated"]),
        "friendly_name": a["friendly_name"],
        "message_status_callback": a["message_status_callback"],
        "sid": a["sid"],
        "sms_fallback_method": a["sms_fallback_method"],
        "sms_fallback_url": a["sms_fallback_url"],
        "sms_method": a["sms_method"],
        "sms_status_callback": a["sms_status_callback"],
        "sms_url": a["sms_url"],
        "status_callback": a["status_callback"],
        "status_callback_method": a["status_callback_method"],
        "uri": f"/2010-04-01/Accounts/{a['account_sid']}/Applications/{a['sid']}.json",
        "voice_caller_id_lookup": a["voice_caller_id_lookup"],
        "voice_fallback_method": a["voice_fallback_method"],
        "voice_fallback_url": a["voice_fallback_url"],
        "voice_method": a["voice_method"],
        "voice_url": a["voice_url"],
        "public_application_connect_enabled": a["public_application_connect_enabled"],
    }


def _settings() -> dict:
    """The fields a create or update request sets, every one validated first (an empty
    URL clears it)."""
    form = params()
    changes = {}
    if "FriendlyName" in form:
        changes["friendly_name"] = text("FriendlyName", max_length=64) or None
    if "ApiVersion" in form:
        version = form["ApiVersion"]
        if version not in API_VERSIONS:
            raise TwilioError.invalid("ApiVersion", f"must be one of {', '.join(API_VERSIONS)}")
        changes["api_version"] = version
    for param, field in URLS.items():
        if param in form:
            changes[field] = url_param(param)
    for param, field in HTTP_METHODS.items():
        if param in form:
            changes[field] = http_method(param)
    for param, field in BOOLEANS.items():
        if param in form:
            changes[field] = boolean(param)
    return changes


@api.post("/Accounts/<account_sid>/Applications.json")
def create_application(account_sid):
    account = path_account(account_sid)
    return to_wire(applications.new_application(sim(), account["sid"], _settings())), 201


@api.get("/Accounts/<account_sid>/Applications.json")
def list_applications(account_sid):
    account = path_account(account_sid)
    fetch = applications.list_applications(sim(), account["sid"], text("FriendlyName"))
    return list_2010(f"/2010-04-01/Accounts/{account['sid']}/Applications.json",
                     "applications", fetch, to_wire)


@api.get("/Accounts/<account_sid>/Applications/<sid>.json")
def fetch_application(account_sid, sid):
    account = path_account(account_sid)
    return to_wire(applications.application_of(sim(), account["sid"], sid))


@api.post("/Accounts/<account_sid>/Applications/<sid>.json")
def update_application(account_sid, sid):
    account = path_account(account_sid)
    app = applications.application_of(sim(), account["sid"], sid)
    return to_wire(applications.update_application(sim(), app, _settings()))


@api.delete("/Accounts/<account_sid>/Applications/<sid>.json")
def delete_application(account_sid, sid):
    account = path_account(account_sid)
    applications.delete_application(sim(), applications.application_of(sim(), account["sid"], sid))
    return "", 204
