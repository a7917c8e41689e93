"""pytest plugin (entry point ``pytest11``): fixtures ``twilio_sim`` and ``twilio_client``.

``twilio_sim`` is a fresh in-process simulator per test (a SimulatorHandle);
``twilio_client`` a ``twilio.rest.Client`` of its main account. Set
``TWILIO_SIM_URL`` to run the same tests against a running ``twilio-sim serve``
(reset before each test) instead.
"""
from __future__ import annotations

import os

import pytest

from .. import create_app
from ..config import Settings
from .handle import SimulatorHandle


@pytest.fixture
def twilio_sim():
    url = os.environ.get("TWILIO_SIM_URL")
    if url:
        handle = SimulatorHandle(url)
        handle.reset()
        yield handle
        return
    app = create_app(Settings(freeze_clock=True))
    yield SimulatorHandle(app)
    app.extensions["twilio_sim"].close()


@pytest.fixture
def twilio_client(twilio_sim):
    return twilio_sim.client()
