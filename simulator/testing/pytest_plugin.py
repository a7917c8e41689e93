"""pytest plugin (entry point ``pytest11``): fixtures ``twilio_sim`` and ``twilio_client``,
and scenario files collected as test items.

``twilio_sim`` is a fresh in-process simulator per test (a SimulatorHandle);
``twilio_client`` a ``twilio.rest.Client`` of its main account. Set
``TWILIO_SIM_URL`` to run the same tests against a running ``twilio-sim serve``
(reset before each test) instead; under pytest-xdist, one per worker (see parallel.py).

Scenario files (``*.yaml`` / ``*.yml`` under a folder named ``scenarios``, or named
``*.scenario.yaml``) are collected as one item per scenario: ``pytest scenarios/``. Each
replays against a fresh in-process simulator (or ``TWILIO_SIM_URL``, reset first); a failure
shows the step, the fields that differ, the request and the response.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from .. import create_app
from ..config import Settings
from ..scenarios.loader import SUFFIXES, Scenario, load_file
from ..scenarios.reporter import describe
from ..scenarios.runner import Result, Runner
from .handle import SimulatorHandle
from .parallel import SharedSimulator, worker_url

_RUNNER = pytest.StashKey[Runner]()


@pytest.fixture
def twilio_sim():
    try:
        url = worker_url()
    except SharedSimulator as e:
        pytest.fail(str(e), pytrace=False)
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


# -- scenario files as test items ---------------------------------------------------------------
def _is_scenario_file(path: Path) -> bool:
    if path.suffix not in SUFFIXES:
        return False
    if path.name.endswith((".scenario.yaml", ".scenario.yml")):
        return True
    if "scenarios" not in path.parent.parts:
        return False
    try:
        head = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return any(line.startswith("steps:") for line in head.splitlines())


def pytest_collect_file(file_path: Path, parent):
    if _is_scenario_file(file_path):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


def pytest_unconfigure(config):
    runner = config.stash.get(_RUNNER, None)
    if runner is not None:
        runner.close()


class ScenarioFile(pytest.File):
    def collect(self):
        scenarios, problems = load_file(self.path)
        if problems:
            yield ScenarioItem.from_parent(self, name=f"{self.path.name} (invalid)",
                                           problems=[str(p) for p in problems])
        for scenario in scenarios:
            yield ScenarioItem.from_parent(self, name=scenario.name, scenario=scenario)


class ScenarioFailed(Exception):
    def __init__(self, result: Result):
        super().__init__(result.failure.message if result.failure else "failed")
        self.result = result


class ScenarioItem(pytest.Item):
    def __init__(self, *, scenario: Scenario | None = None, problems=None, **kwargs):
        super().__init__(**kwargs)
        self.scenario = scenario
        self.problems = problems or []

    def runtest(self):
        if self.problems:
            raise ScenarioFailed(Result(None, self.name, self.path, "error"))
        runner = self.config.stash.get(_RUNNER, None)
        if runner is None:
            runner = Runner(url=worker_url())
            self.config.stash[_RUNNER] = runner
        result = runner.run(self.scenario)
        if not result.passed:
            raise ScenarioFailed(result)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ScenarioFailed):
            if self.problems:
                return "invalid scenario file:\n" + "\n".join(self.problems)
            return describe(excinfo.value.result)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        line = self.scenario.line - 1 if self.scenario else 0
        return self.path, line, f"scenario: {self.name}"
