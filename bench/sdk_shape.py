"""The exact requests the twilio SDK sends for ``accounts.fetch`` and ``accounts.create``.

The official SDK is driven once with a capturing ``HttpClient``; what it asked
for (method, URL, headers, HTTP Basic auth, form body) is prepared by a
``requests.Session`` the way ``TwilioHttpClient`` (and the simulator's own
``SimulatorHttpClient``) would send it. The benchmark then replays those bytes,
so the client side costs next to nothing and the server is what is measured.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import requests
from twilio.http import HttpClient
from twilio.http.response import Response

from simulator.hosts import local_path


@dataclass
class ShapedRequest:
    method: str
    path: str                  # local path with query, e.g. /api/2010-04-01/Accounts/AC...json
    headers: dict[str, str]    # as requests would send them (Authorization included)
    body: bytes

    def raw(self, host: str) -> bytes:
        """The HTTP/1.1 request bytes for a keep-alive connection to ``host``."""
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: {host}"]
        lines += [f"{k}: {v}" for k, v in self.headers.items() if k.lower() != "host"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + self.body

    def for_test_client(self) -> dict:
        """kwargs for ``app.test_client().open``."""
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in ("host", "content-length", "connection")}
        return {"path": self.path, "method": self.method, "headers": headers,
                "data": self.body or None}


class _Capture(HttpClient):
    def __init__(self):
        super().__init__(logging.getLogger("bench"), is_async=False)
        self.calls = []

    def request(self, method, url, params=None, data=None, headers=None, auth=None,
                timeout=None, allow_redirects=False):
        self.calls.append((method, url, params, data, dict(headers or {}), auth))
        body = "{}"
        if method == "GET" and url.endswith("s.json"):   # a list: its (empty) page
            body = '{"%s": []}' % url.rsplit("/", 1)[1][:-5].lower()
        return Response(201 if method == "POST" else 200, body)


def _prepare(call) -> ShapedRequest:
    method, url, params, data, headers, auth = call
    session = requests.Session()
    prepared = session.prepare_request(requests.Request(
        method.upper(), "http://127.0.0.1" + local_path(url), params=params,
        data=data, headers=headers, auth=auth))
    path = prepared.path_url
    body = prepared.body or b""
    if isinstance(body, str):
        body = body.encode("utf-8")
    hdrs = dict(prepared.headers)
    if body and "Content-Length" not in hdrs:
        hdrs["Content-Length"] = str(len(body))
    return ShapedRequest(method.upper(), path, hdrs, body)


def sdk_requests(account_sid: str, auth_token: str, fetch_sid: str | None = None,
                 friendly_name: str = "bench subaccount") -> dict[str, ShapedRequest]:
    """{"fetch": GET Accounts/{fetch_sid}.json, "create": POST Accounts.json,
    "list": GET Accounts.json (first page)}, as the SDK sends them."""
    from twilio.rest import Client
    cap = _Capture()
    client = Client(account_sid, auth_token, http_client=cap)
    client.api.v2010.accounts(fetch_sid or account_sid).fetch()
    client.api.v2010.accounts.create(friendly_name=friendly_name)
    client.api.v2010.accounts.page()
    fetch, create, list_ = (_prepare(c) for c in cap.calls)
    return {"fetch": fetch, "create": create, "list": list_}


def sdk_message_requests(account_sid: str, auth_token: str, fetch_sid: str, to: str,
                         from_: str, body: str = "bench message") -> dict[str, ShapedRequest]:
    """{"create": messages.create(to, from_, body), "fetch": messages(fetch_sid).fetch(),
    "list": messages.page() (the first page, 50)}, as the SDK sends them."""
    from twilio.rest import Client
    cap = _Capture()
    client = Client(account_sid, auth_token, http_client=cap)
    messages = client.api.v2010.accounts(account_sid).messages
    messages.create(to=to, from_=from_, body=body)
    messages(fetch_sid).fetch()
    messages.page()
    create, fetch, list_ = (_prepare(c) for c in cap.calls)
    return {"create": create, "fetch": fetch, "list": list_}
