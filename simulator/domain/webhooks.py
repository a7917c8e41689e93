"""The outbox: every webhook the simulator sends, signed, sent and recorded.

``deliver()`` signs a request with the account's Auth Token, sends it through a
transport and records it (``webhook_deliveries``: URL, parameters, signature,
response status and body). URLs on a ``*.twilio.com`` host (Studio's webhooks) stay
inside Twilio: recorded, never sent. The default transport (``auto``) is real HTTP
when the simulator is served over a socket and record-only in-process. A failed
delivery (refused, timeout, non-2xx) raises a monitor Alert with error 11200 and never
breaks the simulator.
"""
from __future__ import annotations

import logging
from urllib.parse import urlsplit

from ..webhooks.signing import signature
from ..webhooks.transports import TRANSPORTS, send_http, send_wsgi, with_query
from .alerts import new_alert
from .faults import webhook_outcome
from .settings import read_setting, write_setting

MAX_BODY = 64 * 1024
log = logging.getLogger("twilio_sim")
__all__ = ["TRANSPORTS", "deliver", "deliveries", "transport_setting", "set_transport"]


def transport_setting(s) -> str:
    return (read_setting(s, "webhooks") or {}).get("transport", "auto")


def set_transport(s, mode: str):
    write_setting(s, "webhooks", {"transport": mode})


def _transport(s, url: str):
    for prefix, app in s.webhook_apps.items():
        if url.startswith(prefix):
            return "wsgi", app
    host = (urlsplit(url).hostname or "").lower()
    if host == "twilio.com" or host.endswith(".twilio.com"):
        return "internal", None   # handled inside Twilio (e.g. Studio's webhooks): recorded only
    mode = transport_setting(s)
    if mode == "auto":
        mode = "http" if s.served else "record"
    return mode, None


def deliver(s, account_sid: str, url: str, params: dict, *, method: str = "POST",
            kind: str = "webhook", resource_sid: str | None = None) -> dict:
    """Sign and send one webhook; return its delivery record (with the response)."""
    account = s.store.get("accounts", account_sid)
    token = account["auth_token"] if account else ""
    method = (method or "POST").upper()
    pairs = [(k, "" if v is None else str(v)) for k, v in params.items()]
    if method == "GET":   # Twilio signs a GET's full URL, parameters included
        signed_url = with_query(url, pairs)
        sig = signature(token, signed_url, {})
    else:
        signed_url = url
        sig = signature(token, url, dict(pairs))
    headers = {"X-Twilio-Signature": sig, "User-Agent": "TwilioProxy/1.1",
               "I-Twilio-Idempotency-Token": s.ids.hex(32), "X-Home-Region": "us1"}
    mode, app = _transport(s, url)
    status, body, content_type, error = None, None, None, None
    # the wait for the receiver (or an injected latency) holds no lock: a step may be
    # delivering, and the receiver may call back into the simulator
    with s.store.released():
        fault = webhook_outcome(s, account_sid, url, kind) if mode != "internal" else None
        try:
            if fault is not None:   # an injected failure of the app (see faults.py)
                status, body, content_type, error = fault
            elif mode == "wsgi":
                status, body, content_type = send_wsgi(app, url, method, pairs, headers)
            elif mode == "http":
                status, body, content_type = send_http(url, method, pairs, headers)
        except Exception as e:  # refused, timeout, a crashing in-process app...
            error = f"{type(e).__name__}: {e}"
    record = {
        "sid": s.ids.sid("WH"),
        "account_sid": account_sid,
        "kind": kind,
        "resource_sid": resource_sid,
        "url": url,
        "signed_url": signed_url,
        "method": method,
        "params": dict(pairs),
        "signature": sig,
        "transport": mode,
        "response_status": status,
        "response_body": body[:MAX_BODY] if body else body,
        "response_content_type": content_type,
        "error": error,
        "date_created": s.now(),
    }
    s.store.insert("webhook_deliveries", record)
    if (fault or mode not in ("record", "internal")) and (error is not None or not (200 <= (status or 0) < 300)):
        try:
            new_alert(s, account_sid, 11200, url=url, method=method, resource_sid=resource_sid,
                      response_status=status, response_body=body, detail=error)
        except Exception:
            log.exception("could not record alert for %s", url)
    return record


def deliveries(s, account_sid: str | None = None) -> list[dict]:
    if account_sid:
        return s.store.owned("webhook_deliveries", account_sid)
    return s.store.find("webhook_deliveries", lambda d: True)  # in delivery order
