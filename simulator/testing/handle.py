"""SimulatorHandle: credentials, an SDK client and the control plane of one simulator."""
from __future__ import annotations

import requests

from .http_client import SimulatorHttpClient


class SimulatorHandle:
    """``target`` is a base URL or a Flask app made by ``create_app``."""

    def __init__(self, target):
        self.target = target
        self.app = None if isinstance(target, str) else target
        self.http_client = SimulatorHttpClient(target)
        self._creds = None

    # -- control plane ------------------------------------------------------------
    def control(self, method: str, path: str, json=None) -> dict | None:
        url = "/_sim/v1/" + path.lstrip("/")
        if json is None and method.upper() not in ("GET", "HEAD"):
            json = {}  # the control plane takes JSON on every call that changes something
        if self.app is None:
            resp = requests.request(method, self.target.rstrip("/") + url, json=json, timeout=30)
            status, body = resp.status_code, (resp.json() if resp.content else None)
        else:
            resp = self.app.test_client().open(url, method=method, json=json)
            status, body = resp.status_code, resp.get_json(silent=True)
        if status >= 400:
            raise RuntimeError(f"control plane {method} {url}: {status} {body}")
        return body

    def credentials(self) -> dict:
        if self._creds is None:
            self._creds = self.control("GET", "credentials")
        return self._creds

    @property
    def main(self) -> dict:
        """The first main account of the fixtures."""
        return next(a for a in self.credentials()["accounts"] if a["sid"] == a["owner_account_sid"])

    @property
    def account_sid(self) -> str:
        return self.main["sid"]

    @property
    def auth_token(self) -> str:
        return self.main["auth_token"]

    def client(self, username: str | None = None, password: str | None = None,
               account_sid: str | None = None, http_client=None):
        """A twilio.rest.Client for this simulator (default: the main account)."""
        from twilio.rest import Client
        return Client(username or self.account_sid, password or self.auth_token,
                      account_sid=account_sid, http_client=http_client or self.http_client)

    def reset(self):
        self._creds = None
        return self.control("POST", "reset")

    def snapshot(self) -> dict:
        return self.control("GET", "snapshot")

    def restore(self, snapshot: dict):
        self._creds = None
        return self.control("PUT", "snapshot", json=snapshot)

    def journal(self, limit: int | None = None) -> list[dict]:
        return self.control("GET", "journal" + (f"?limit={limit}" if limit else ""))["requests"]

    def freeze(self, at: str | None = None) -> dict:
        return self.control("POST", "clock/freeze", json={"at": at} if at else {})

    def advance(self, seconds: float) -> dict:
        return self.control("POST", "clock/advance", json={"seconds": seconds})

    def real_time(self) -> dict:
        return self.control("POST", "clock/real", json={})
