"""Every scenario shipped in scenarios/ replays green, one test per scenario (so the README's
``pytest`` runs them; ``pytest scenarios/`` collects the same files through the plugin)."""
from pathlib import Path

import pytest

from simulator.scenarios.loader import find_files, load_file
from simulator.scenarios.reporter import describe
from simulator.scenarios.runner import Runner

SHIPPED = Path(__file__).resolve().parents[1] / "scenarios"


def _shipped():
    for path in find_files([SHIPPED]):
        scenarios, problems = load_file(path)
        assert not problems, "\n".join(map(str, problems))
        for scenario in scenarios:
            yield pytest.param(scenario, id=f"{path.name}::{scenario.name}")


@pytest.fixture(scope="module")
def runner():
    with Runner() as r:
        yield r


@pytest.mark.parametrize("scenario", list(_shipped()))
def test_shipped_scenario(runner, scenario):
    result = runner.run(scenario)
    assert result.passed, describe(result)
