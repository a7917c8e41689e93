"""Where a scenario's requests go: an app in this process (through its WSGI door, as a
client would call it) or a simulator served at a URL. Both answer an ``Answer``."""
from __future__ import annotations

import json as jsonlib
from dataclasses import dataclass, field

import requests

from .matching import MISSING


@dataclass
class Answer:
    status: int | None
    headers: dict = field(default_factory=dict)
    text: str = ""
    dropped: bool = False

    @property
    def json(self):
        if not self.text:
            return MISSING
        try:
            return jsonlib.loads(self.text)
        except ValueError:
            return MISSING

    def header(self, name: str):
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return MISSING


def form_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):   # e.g. Attributes, Configuration
        return jsonlib.dumps(value)
    return value if isinstance(value, str) else str(value)


def _pairs(data: dict | None) -> dict | None:
    if not data:
        return None
    out = {}
    for key, value in data.items():
        if value is None:
            continue
        out[key] = [form_value(v) for v in value] if isinstance(value, list) else form_value(value)
    return out


class InProcess:
    """An app made by ``create_app``, called through the Flask test client (a WSGI call)."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self.label = "in-process"

    def send(self, method: str, path: str, *, query=None, form=None, json=MISSING,
             headers=None) -> Answer:
        kwargs = {"json": json} if json is not MISSING else {"data": _pairs(form)}
        try:
            resp = self.client.open(path, method=method, query_string=_pairs(query),
                                    headers=headers or {}, **kwargs)
            return Answer(resp.status_code, dict(resp.headers), resp.get_data(as_text=True))
        except requests.exceptions.ConnectionError as e:   # a fault dropped the connection
            return Answer(None, {}, str(e), dropped=True)


class Remote:
    """A served simulator (``twilio-sim serve``) at ``url``."""

    def __init__(self, url: str, timeout: float = 30):
        self.url = url.rstrip("/")
        self.session = requests.Session()
        self.timeout = timeout
        self.label = self.url

    def send(self, method: str, path: str, *, query=None, form=None, json=MISSING,
             headers=None) -> Answer:
        kwargs = {"json": json} if json is not MISSING else {"data": _pairs(form)}
        try:
            resp = self.session.request(method, self.url + path, params=_pairs(query),
                                        headers=headers or {}, timeout=self.timeout,
                                        allow_redirects=False, **kwargs)
        except requests.exceptions.ConnectionError as e:
            return Answer(None, {}, f"{type(e).__name__}: {e}", dropped=True)
        return Answer(resp.status_code, dict(resp.headers), resp.text)

    def close(self):
        self.session.close()
