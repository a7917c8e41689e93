"""``twilio-sim serve`` as a subprocess, for the serving and persistence tests.

Registered as a plugin by conftest.py: the ``serve`` fixture starts processes in
the test's tmp_path and SIGKILLs every one of them at teardown.
"""
from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from twilio.rest import Client

import contract
from simulator.testing import SimulatorHttpClient

START_TIMEOUT = 30.0
STOP_TIMEOUT = 30.0
FLUSHED = "Twilio simulator stopped; state flushed."
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


class Served:
    """``python -m simulator serve --port 0 ...``; reads its banner and waits for health."""

    def __init__(self, *args: str, cwd: Path):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "simulator", "serve", "--port", "0", *args],
            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.lines: list[str] = []
        self._queue: queue.Queue = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        try:
            self.banner = self._read_banner()
            m = re.search(r"listening on (http://127\.0\.0\.1:(\d+))$", self.banner[0])
            assert m, self.banner
            self.url, self.port = m.group(1), int(m.group(2))
            self.account_sid = self._field("account SID")
            self.auth_token = self._field("auth token")
            self._wait_healthy()
        except BaseException:
            self.kill()
            raise

    def _read(self):
        for line in self.proc.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def _next_line(self, deadline: float) -> str | None:
        try:
            line = self._queue.get(timeout=max(deadline - time.monotonic(), 0.01))
        except queue.Empty:
            raise AssertionError(f"twilio-sim printed nothing new in time:\n{self.output}") from None
        if line is not None:
            self.lines.append(line)
        return line

    def _read_banner(self) -> list[str]:
        deadline = time.monotonic() + START_TIMEOUT
        banner: list[str] = []
        while True:
            line = self._next_line(deadline)
            if line is None:
                raise AssertionError(f"twilio-sim exited while starting:\n{self.output}")
            if banner or "listening on" in line:
                banner.append(line)
            if line.startswith("client = Client("):
                return banner

    def _field(self, name: str) -> str:
        for line in self.banner:
            if line.strip().startswith(name + ":"):
                return line.split(":", 1)[1].strip()
        raise AssertionError(f"no {name!r} in the banner:\n{self.output}")

    def _wait_healthy(self):
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                r = requests.get(self.url + "/_sim/v1/health", timeout=2)
                if r.status_code == 200 and r.json()["status"] == "ok":
                    return
            except requests.ConnectionError:
                pass
            assert self.proc.poll() is None, f"twilio-sim exited:\n{self.output}"
            assert time.monotonic() < deadline, f"twilio-sim never became healthy:\n{self.output}"
            time.sleep(0.05)

    @property
    def snippet(self) -> str:
        start = self.banner.index("SDK:") + 1
        return "\n".join(self.banner[start:])

    @property
    def output(self) -> str:
        while True:  # whatever the reader has queued so far
            try:
                line = self._queue.get_nowait()
            except queue.Empty:
                break
            if line is not None:
                self.lines.append(line)
        return "\n".join(self.lines)

    def client(self, sid: str | None = None, token: str | None = None) -> Client:
        return Client(sid or self.account_sid, token or self.auth_token,
                      http_client=SimulatorHttpClient(self.url, timeout=30))

    def control(self, path: str) -> dict:
        r = requests.get(self.url + "/_sim/v1/" + path, timeout=30)
        assert r.status_code == 200, r.text
        return r.json()

    def check_contract(self) -> list[str]:
        """Every exchange in the running server's journal, checked against the official specs
        whatever client made it (twilio-node, the TaskRouter JS SDK, curl...); a response a
        Python ``requests`` client got is checked again, which is harmless."""
        if self.proc.poll() is not None or not contract.available():
            return []
        problems = []
        for e in self.control("journal")["requests"]:
            if e["method"] not in HTTP_METHODS:   # a Console code or invitation "sent"
                continue
            body = e["body"]
            text = body if isinstance(body, str) or body is None else json.dumps(body)
            problems += contract.check_exchange(e["method"], e["path"], None, e["query"],
                                                e["status"], text or "", e.get("content_type"))
        return problems

    def terminate(self) -> int:
        """SIGTERM; wait for the exit and every line it printed."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"twilio-sim ignored SIGTERM:\n{self.output}") from None
        self._reader.join(timeout=STOP_TIMEOUT)
        self.output  # noqa: B018  (drain what the reader queued into self.lines)
        return code

    def kill(self):
        """SIGKILL if still running; reap it and close its pipe."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=STOP_TIMEOUT)
        self._reader.join(timeout=STOP_TIMEOUT)
        if not self._reader.is_alive():
            self.proc.stdout.close()


@pytest.fixture
def serve(tmp_path):
    """Start ``twilio-sim serve`` processes; every one is killed at teardown."""
    started: list[Served] = []

    def start(*args: str) -> Served:
        served = Served(*args, cwd=tmp_path)
        started.append(served)
        return served

    try:
        yield start
        for served in started:   # what any client of it got, checked like the rest
            contract.RECORDER.record(served.check_contract())
    finally:
        for served in started:
            served.kill()
