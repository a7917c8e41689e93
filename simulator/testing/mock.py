"""mock(): like moto's mock_aws, for the twilio SDK.

Under it, every ``twilio.rest.Client`` created by the code under test (with
the default ``TwilioHttpClient``) talks to a fresh in-process simulator::

    with mock() as sim:
        client = Client(sim.account_sid, sim.auth_token)
        client.api.v2010.accounts.create(friendly_name="x")

    @mock()
    def test_x(twilio_sim): ...   # the handle is passed to a parameter named twilio_sim
"""
from __future__ import annotations

import functools
import inspect

from twilio.http.http_client import TwilioHttpClient

from .. import create_app
from ..config import Settings
from .handle import SimulatorHandle


class mock:
    def __init__(self, settings: Settings | None = None, app=None):
        self.settings = settings
        self.app = app
        self.handle: SimulatorHandle | None = None
        self._original = None

    def __enter__(self) -> SimulatorHandle:
        app = self.app or create_app(self.settings or Settings())
        self.handle = handle = SimulatorHandle(app)
        self._original = TwilioHttpClient.request

        def request(client_self, method, url, params=None, data=None, headers=None, auth=None,
                    timeout=None, allow_redirects=False):
            return handle.http_client.request(method, url, params, data, headers, auth, timeout,
                                              allow_redirects)

        TwilioHttpClient.request = request
        return handle

    def __exit__(self, *exc):
        TwilioHttpClient.request = self._original
        app = self.handle.app if self.handle else None
        if app is not None and self.app is None:
            app.extensions["twilio_sim"].close()
        return False

    def __call__(self, fn):
        if inspect.iscoroutinefunction(fn):
            raise TypeError("mock() decorates plain functions; use it as a context manager "
                            "inside async code")

        signature = inspect.signature(fn)
        wants_handle = "twilio_sim" in signature.parameters

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with mock(self.settings, self.app) as handle:
                if wants_handle:
                    kwargs["twilio_sim"] = handle
                return fn(*args, **kwargs)

        # pytest must not take the handle for a fixture
        wrapper.__signature__ = signature.replace(
            parameters=[p for n, p in signature.parameters.items() if n != "twilio_sim"])
        return wrapper
