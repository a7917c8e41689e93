"""A twilio HttpClient that talks to the simulator instead of twilio.com."""
from __future__ import annotations

import logging
from typing import Any, Optional, Tuple
from urllib.parse import urlencode

import requests
from twilio.http import HttpClient
from twilio.http.response import Response

from ..hosts import local_path


class SimulatorHttpClient(HttpClient):
    """``target`` is a base URL (``"http://127.0.0.1:4010"``) or a Flask app.

    ``https://<label>.twilio.com/<path>`` becomes ``<target>/<label>/<path>``,
    so next-page URLs from list responses work too.
    """

    def __init__(self, target, timeout: Optional[float] = None,
                 logger: logging.Logger = logging.getLogger("simulator.testing")):
        super().__init__(logger, is_async=False, timeout=timeout)
        if isinstance(target, str):
            self.base_url = target.rstrip("/")
            self.session = requests.Session()
            self.app = None
        else:
            self.base_url = None
            self.session = None
            self.app = target
            self._client = target.test_client()

    def request(self, method: str, url: str, params: Optional[dict] = None,
                data: Optional[dict] = None, headers: Optional[dict] = None,
                auth: Optional[Tuple[str, str]] = None, timeout: Optional[float] = None,
                allow_redirects: bool = False) -> Response:
        path = local_path(url)
        headers = dict(headers or {})
        is_json = headers.get("Content-Type") in ("application/json", "application/scim+json")
        body: dict[str, Any] = {"json": data} if is_json else {"data": data}
        if self.app is None:
            resp = self.session.request(method.upper(), self.base_url + path, params=params,
                                        headers=headers, auth=auth,
                                        timeout=timeout or self.timeout,
                                        allow_redirects=allow_redirects, **body)
            result = Response(resp.status_code, resp.text, resp.headers)
        else:
            if auth:
                from werkzeug.datastructures import Authorization
                headers["Authorization"] = Authorization(
                    "basic", {"username": auth[0], "password": auth[1]}).to_header()
            if not is_json:
                headers.pop("Content-Type", None)  # let werkzeug encode the form
            query = urlencode(_pairs(params), doseq=True) if params else None
            if query:
                path += ("&" if "?" in path else "?") + query
            resp = self._client.open(path, method=method.upper(), headers=headers,
                                     follow_redirects=allow_redirects, **body)
            result = Response(resp.status_code, resp.get_data(as_text=True), resp.headers)
        self._test_only_last_response = result
        return result


def _pairs(params: dict):
    return {k: v for k, v in params.items() if v is not None}
