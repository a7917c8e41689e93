"""Fixtures for the messaging tests: a webhook receiver over the test's transport.

In-process the receiver is a WSGI app registered with the simulator (no socket);
over a socket it is a real HTTP server, so the simulator's HTTP transport is used.
conftest.py loads it as a plugin, so its fixtures are everywhere.
"""
from __future__ import annotations

import threading

import pytest
from flask import Flask, request
from twilio.request_validator import RequestValidator

from simulator.server import Server
from simulator.webhooks import register_wsgi


class Receiver:
    def __init__(self):
        self.app = Flask("receiver")
        self.requests: list[dict] = []
        self.responses: dict[str, tuple[int, str, str]] = {}
        self.handlers: dict = {}
        self.lock = threading.Lock()
        self.base_url = None
        self.app.add_url_rule("/<path:path>", "hook", self._hook, methods=["GET", "POST"])

    def _hook(self, path):
        with self.lock:
            self.requests.append({"path": "/" + path, "url": request.url,
                                  "method": request.method,
                                  "form": request.form.to_dict(flat=True),
                                  "args": request.args.to_dict(flat=True),
                                  "headers": dict(request.headers)})
        if "/" + path in self.handlers:   # a handler that may call back into the simulator
            return self.handlers["/" + path](request.form.to_dict(flat=True)), 200
        status, body, content_type = self.responses.get("/" + path, (200, "", "text/plain"))
        return body, status, {"Content-Type": content_type}

    def url(self, path: str) -> str:
        return self.base_url + path

    def reply(self, path: str, body: str, status: int = 200, content_type: str = "text/xml"):
        self.responses[path] = (status, body, content_type)

    def at(self, path: str) -> list[dict]:
        with self.lock:
            return [r for r in self.requests if r["path"] == path]

    def reset(self):
        with self.lock:
            self.requests.clear()
            self.responses.clear()
            self.handlers.clear()

    def valid(self, req: dict, auth_token: str) -> bool:
        params = req["form"] if req["method"] == "POST" else {}
        return RequestValidator(auth_token).validate(req["url"], params,
                                                     req["headers"].get("X-Twilio-Signature"))


@pytest.fixture(scope="session")
def _http_receiver():
    receiver = Receiver()
    server = Server(receiver.app, host="127.0.0.1", port=0).start()
    receiver.base_url = server.base_url
    yield receiver
    server.stop()


@pytest.fixture
def receiver(sim, request):
    if sim.app is None:  # the simulator is served over a socket: real HTTP
        r = request.getfixturevalue("_http_receiver")
        r.reset()
        return r
    r = Receiver()
    r.base_url = "http://receiver.test"
    register_wsgi(sim.app, r.base_url, r.app)
    return r


@pytest.fixture
def frozen(sim):
    """The clock frozen at a fixed time (mid-morning, so day boundaries are predictable)."""
    sim.freeze("2030-01-15T10:00:00Z")
    return sim


def numbers(client):
    """The seeded local (SMS + voice) and toll-free numbers of the main account."""
    found = client.incoming_phone_numbers.list()
    local = next(n for n in found if n.type == "local")
    toll_free = next(n for n in found if n.type == "tollfree")
    return local, toll_free


def inbound(sim, from_, to, body, media=None):
    data = {"From": from_, "To": to, "Body": body}
    if media:
        data["MediaUrl"] = media
    return sim.control("POST", "messages/inbound", json=data)


def deliveries(sim, **filters):
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    return sim.control("GET", "webhooks/deliveries" + (f"?{query}" if query else ""))["deliveries"]


__all__ = ["receiver", "frozen", "_http_receiver", "numbers", "inbound", "deliveries", "Receiver"]
