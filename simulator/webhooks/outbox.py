"""The outbox: sign, send through a transport, record every delivery."""
from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from flask import current_app

from ..runtime import sim
from .signing import signature

TIMEOUT_SECONDS = 5
MAX_BODY = 64 * 1024
TRANSPORTS = ("auto", "http", "record")
# Characters left unescaped in a GET webhook's query, as WSGI frameworks rebuild the URL
# (werkzeug's request.url), so the URL the app validates is the URL that was signed.
QUERY_SAFE = "!$'()*,/:;@"


def _query(pairs) -> str:
    return urlencode(pairs, safe=QUERY_SAFE)


def _targets(s) -> dict:
    targets = getattr(s, "_wsgi_targets", None)
    if targets is None:
        targets = s._wsgi_targets = {}
    return targets


def register_wsgi(app, url_prefix: str, wsgi_app):
    """Deliver webhooks whose URL starts with ``url_prefix`` to ``wsgi_app`` in-process
    (``app`` is the simulator's Flask app)."""
    _targets(app.extensions["twilio_sim"])[url_prefix] = wsgi_app


def unregister_wsgi(app, url_prefix: str):
    _targets(app.extensions["twilio_sim"]).pop(url_prefix, None)


def transport_setting() -> str:
    record = sim().store.get("sim_settings", "webhooks")
    return (record or {}).get("transport", "auto")


def set_transport(mode: str):
    s = sim()
    if s.store.get("sim_settings", "webhooks") is None:
        s.store.insert("sim_settings", {"sid": "webhooks", "kind": "webhooks", "transport": mode})
    else:
        s.store.update("sim_settings", "webhooks", {"transport": mode})


def _transport(url: str):
    s = sim()
    for prefix, app in _targets(s).items():
        if url.startswith(prefix):
            return "wsgi", app
    host = (urlsplit(url).hostname or "").lower()
    if host == "twilio.com" or host.endswith(".twilio.com"):
        return "internal", None   # handled inside Twilio (e.g. Studio's webhooks): recorded only
    mode = transport_setting()
    if mode == "auto":
        mode = "http" if s.served else "record"
    return mode, None


def _send_wsgi(app, url: str, method: str, params: list, headers: dict):
    from werkzeug.test import Client
    parts = urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}"
    path = parts.path or "/"
    query = parts.query
    client = Client(app)
    if method == "GET":
        query = "&".join(q for q in (query, _query(params)) if q)
        resp = client.open(path, base_url=base, query_string=query, method="GET", headers=headers)
    else:
        resp = client.open(path, base_url=base, query_string=query or None, method="POST",
                           headers=headers, data=urlencode(params),
                           content_type="application/x-www-form-urlencoded")
    return resp.status_code, resp.get_data(as_text=True), resp.headers.get("Content-Type")


def _send_http(url: str, method: str, params: list, headers: dict):
    import requests
    if method == "GET":
        sep = "&" if urlsplit(url).query else "?"
        r = requests.get(url + (sep + _query(params) if params else ""), headers=headers,
                         timeout=TIMEOUT_SECONDS)
    else:
        r = requests.post(url, data=params, headers=headers, timeout=TIMEOUT_SECONDS)
    return r.status_code, r.text, r.headers.get("Content-Type")


def deliver(account_sid: str, url: str, params: dict, *, method: str = "POST",
            kind: str = "webhook", resource_sid: str | None = None) -> dict:
    """Sign and send one webhook; return its delivery record (with the response)."""
    s = sim()
    account = s.store.get("accounts", account_sid)
    token = account["auth_token"] if account else ""
    method = (method or "POST").upper()
    pairs = [(k, "" if v is None else str(v)) for k, v in params.items()]
    signed_url = url
    if method == "GET":
        sep = "&" if urlsplit(url).query else "?"
        signed_url = url + (sep + _query(pairs) if pairs else "")
        sig = signature(token, signed_url, {})
    else:
        sig = signature(token, url, dict(pairs))
    headers = {"X-Twilio-Signature": sig, "User-Agent": "TwilioProxy/1.1",
               "I-Twilio-Idempotency-Token": s.ids.hex(32), "X-Home-Region": "us1"}
    mode, app = _transport(url)
    status, body, content_type, error = None, None, None, None
    try:
        if mode == "wsgi":
            status, body, content_type = _send_wsgi(app, url, method, pairs, headers)
        elif mode == "http":
            status, body, content_type = _send_http(url, method, pairs, headers)
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
    if mode not in ("record", "internal") and (error is not None or not (200 <= (status or 0) < 300)):
        from ..products.monitor.alerts import new_alert
        try:
            new_alert(account_sid, 11200, url=url, method=method, resource_sid=resource_sid,
                      response_status=status, response_body=body, detail=error)
        except Exception:
            current_app.logger.exception("could not record alert for %s", url)
    return record


def deliveries(account_sid: str | None = None) -> list[dict]:
    s = sim()
    if account_sid:
        return s.store.owned("webhook_deliveries", account_sid)
    return s.store.find("webhook_deliveries", lambda d: True)  # in delivery order
