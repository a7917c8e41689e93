"""The Simulator behind the request being answered: for doors only.

The domain never calls this: it is handed the Simulator as an argument, so a timer,
a scenario step or a test drives it without a request.
"""
from __future__ import annotations

from flask import current_app

from .runtime import Simulator


def sim() -> Simulator:
    return current_app.extensions["twilio_sim"]
