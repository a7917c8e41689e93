"""monitor v1 Alerts: /v1/Alerts (list with LogLevel, StartDate, EndDate) and /v1/Alerts/{Sid}."""
from __future__ import annotations

from urllib.parse import urlencode

from ...auth import principal
from ...errors import CATALOGUE, TwilioError
from ...hosts import public_url
from ...runtime import sim
from ...wire import choice, list_v1, text
from . import bp

LOG_LEVELS = ("error", "warning", "notice", "debug")


def new_alert(account_sid: str, error_code: int, *, url: str, method: str = "POST",
              resource_sid: str | None = None, response_status: int | None = None,
              response_body: str | None = None, detail: str | None = None,
              log_level: str = "error") -> dict:
    s = sim()
    now = s.now()
    message = CATALOGUE.get(error_code, (0, "Error"))[1]
    text_fields = {"url": url, "Msg": detail or f"{message}: HTTP {response_status}",
                   "httpResponse": response_status}
    alert = {
        "sid": s.ids.sid("NO"),
        "account_sid": account_sid,
        "error_code": str(error_code),
        "log_level": log_level,
        "alert_text": urlencode({k: v for k, v in text_fields.items() if v is not None}),
        "request_method": method,
        "request_url": url,
        "resource_sid": resource_sid,
        "response_body": (response_body or "")[:4096] or None,
        "date_created": now,
        "date_generated": now,
        "date_updated": now,
    }
    return s.store.insert("alerts", alert)


def _wire(a: dict, instance: bool) -> dict:
    wire = {
        "account_sid": a["account_sid"],
        "alert_text": a["alert_text"],
        "api_version": "2010-04-01",
        "date_created": a["date_created"],
        "date_generated": a["date_generated"],
        "date_updated": a["date_updated"],
        "error_code": a["error_code"],
        "log_level": a["log_level"],
        "more_info": f"https://www.twilio.com/docs/errors/{a['error_code']}",
        "request_method": a["request_method"],
        "request_url": a["request_url"],
        "resource_sid": a["resource_sid"],
        "sid": a["sid"],
        "url": public_url("monitor", f"/v1/Alerts/{a['sid']}"),
        "service_sid": None,
    }
    if instance:
        wire.update({"request_variables": None, "response_body": a["response_body"],
                     "response_headers": None, "request_headers": None})
    return wire


def _date(name: str):
    value = text(name)
    if value is None:
        return None
    if len(value) < 10:
        raise TwilioError.invalid(name, "must be a date (YYYY-MM-DD) or an ISO 8601 timestamp")
    return value if "T" in value else value[:10] + ("T00:00:00Z" if name == "StartDate"
                                                    else "T23:59:59Z")


@bp.get("/Alerts")
def list_alerts():
    me = principal().account_sid
    level = choice("LogLevel", LOG_LEVELS)
    start, end = _date("StartDate"), _date("EndDate")

    def where(a):
        return ((level is None or a["log_level"] == level)
                and (start is None or a["date_created"] >= start)
                and (end is None or a["date_created"] <= end))

    fetch = sim().store.pager("alerts", me, newest_first=True, where=where)

    return list_v1("monitor", "/v1/Alerts", "alerts", fetch, lambda a: _wire(a, False))


@bp.get("/Alerts/<sid>")
def fetch_alert(sid):
    alert = sim().store.get("alerts", sid)
    if alert is None or alert["account_sid"] != principal().account_sid:
        raise TwilioError.not_found()
    return _wire(alert, True)
