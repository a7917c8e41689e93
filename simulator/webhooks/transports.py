"""How a webhook leaves the simulator: a WSGI app registered for a URL prefix (in-process,
e.g. the user's Flask app), real HTTP (``requests``), or nowhere (record-only)."""
from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import requests
from werkzeug.test import Client

TIMEOUT_SECONDS = 5
TRANSPORTS = ("auto", "http", "record")
# Characters left unescaped in a GET webhook's query, as WSGI frameworks rebuild the URL
# (werkzeug's request.url), so the URL the app validates is the URL that was signed.
QUERY_SAFE = "!$'()*,/:;@"


def query(pairs) -> str:
    return urlencode(pairs, safe=QUERY_SAFE)


def with_query(url: str, pairs) -> str:
    """A GET webhook's URL: its parameters appended to whatever query it has."""
    if not pairs:
        return url
    return url + ("&" if urlsplit(url).query else "?") + query(pairs)


def register_wsgi(app, url_prefix: str, wsgi_app):
    """Deliver webhooks whose URL starts with ``url_prefix`` to ``wsgi_app`` in-process
    (``app`` is the simulator's Flask app)."""
    app.extensions["twilio_sim"].webhook_apps[url_prefix] = wsgi_app


def unregister_wsgi(app, url_prefix: str):
    app.extensions["twilio_sim"].webhook_apps.pop(url_prefix, None)


def send_wsgi(app, url: str, method: str, params: list, headers: dict):
    parts = urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}"
    path = parts.path or "/"
    client = Client(app)
    if method == "GET":
        q = "&".join(x for x in (parts.query, query(params)) if x)
        resp = client.open(path, base_url=base, query_string=q, method="GET", headers=headers)
    else:
        resp = client.open(path, base_url=base, query_string=parts.query or None, method="POST",
                           headers=headers, data=urlencode(params),
                           content_type="application/x-www-form-urlencoded")
    return resp.status_code, resp.get_data(as_text=True), resp.headers.get("Content-Type")


def send_http(url: str, method: str, params: list, headers: dict):
    if method == "GET":
        r = requests.get(with_query(url, params), headers=headers, timeout=TIMEOUT_SECONDS)
    else:
        r = requests.post(url, data=params, headers=headers, timeout=TIMEOUT_SECONDS)
    return r.status_code, r.text, r.headers.get("Content-Type")
