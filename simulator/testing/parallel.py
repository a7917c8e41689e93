"""Which running simulator a test uses when ``TWILIO_SIM_URL`` is set, under pytest-xdist too.

Every test resets its simulator first, so parallel workers sharing one server would wipe
each other's state mid-test. ``TWILIO_SIM_URL`` may therefore list several servers,
comma-separated: worker ``gwN`` of pytest-xdist uses the N-th. Fewer servers than workers is
refused with a message that says what to do. (Without ``TWILIO_SIM_URL`` every test has its
own in-process simulator, and any number of workers is fine.)
"""
from __future__ import annotations

import os
from typing import Mapping

ENV = "TWILIO_SIM_URL"


class SharedSimulator(RuntimeError):
    """More pytest-xdist workers than simulators in TWILIO_SIM_URL."""


def worker_url(environ: Mapping[str, str] = os.environ) -> str | None:
    """The simulator URL for this test process, or None for in-process simulators."""
    urls = [u.strip() for u in (environ.get(ENV) or "").split(",") if u.strip()]
    if not urls:
        return None
    worker = environ.get("PYTEST_XDIST_WORKER", "")
    count = int(environ.get("PYTEST_XDIST_WORKER_COUNT") or 1)
    if not worker or count <= 1:
        return urls[0]
    if len(urls) < count:
        raise SharedSimulator(
            f"{ENV} names {len(urls)} simulator(s) but pytest-xdist runs {count} workers; "
            "each test resets its simulator, so workers sharing one would wipe each other's "
            f"state. Start one `twilio-sim serve --memory --port 0` per worker and list their "
            f"URLs comma-separated in {ENV}, run without -n, or unset {ENV} (every test then "
            "gets its own in-process simulator)")
    index = int(worker[2:]) if worker.startswith("gw") and worker[2:].isdigit() else 0
    return urls[index % len(urls)]
