"""monitor v1 Alerts: /v1/Alerts (list with LogLevel, StartDate, EndDate) and /v1/Alerts/{Sid}."""
from __future__ import annotations

from ...auth import principal
from ...errors import TwilioError
from ...hosts import public_url
from ...current import sim
from ...domain import alerts
from ...wire import choice, list_v1, text
from . import bp

LOG_LEVELS = ("error", "warning", "notice", "debug")


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
    fetch = alerts.list_alerts(sim(), me, level=level, start=start, end=end)
    return list_v1("monitor", "/v1/Alerts", "alerts", fetch, lambda a: _wire(a, False))


@bp.get("/Alerts/<sid>")
def fetch_alert(sid):
    return _wire(alerts.alert_of(sim(), principal().account_sid, sid), True)
