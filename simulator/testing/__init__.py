"""Pointing the official twilio SDK at the simulator.

* ``SimulatorHttpClient``: a ``twilio.http.HttpClient`` sending every SDK call to
  a running simulator (``"http://127.0.0.1:4010"``) or into an app in this process.
* ``mock()``: a context manager and decorator under which every
  ``twilio.rest.Client`` talks to a fresh in-process simulator.
* the pytest plugin (``pytest_plugin``): fixtures ``twilio_sim`` and ``twilio_client``.
"""
from .handle import SimulatorHandle
from .http_client import SimulatorHttpClient
from .mock import mock

__all__ = ["SimulatorHttpClient", "SimulatorHandle", "mock"]
