"""monitor Alerts: what Twilio's Debugger records when something goes wrong (a webhook
that failed answers 11200)."""
from __future__ import annotations

from urllib.parse import urlencode

from ..errors import CATALOGUE, TwilioError


def new_alert(s, account_sid: str, error_code: int, *, url: str, method: str = "POST",
              resource_sid: str | None = None, response_status: int | None = None,
              response_body: str | None = None, detail: str | None = None,
              log_level: str = "error") -> dict:
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


def list_alerts(s, account_sid: str, *, level: str | None = None, start: str | None = None,
                end: str | None = None):
    """The pager of an account's alerts, newest first; ``start``/``end`` bound date_created
    (ISO 8601, inclusive)."""
    def where(a):
        return ((level is None or a["log_level"] == level)
                and (start is None or a["date_created"] >= start)
                and (end is None or a["date_created"] <= end))

    return s.store.pager("alerts", account_sid, newest_first=True, where=where)


def alert_of(s, account_sid: str, sid: str) -> dict:
    alert = s.store.get("alerts", sid)
    if alert is None or alert["account_sid"] != account_sid:
        raise TwilioError.not_found()
    return alert
