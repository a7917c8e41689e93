"""``replay(paths)``: load, select, run and report scenarios; what ``twilio-sim replay`` does."""
from __future__ import annotations

import time
from pathlib import Path

from .loader import Problem, Scenario, find_files, load_file
from .reporter import Console, junit_xml, problem_result
from .runner import Result, Runner


def load_all(paths) -> tuple[list[Scenario], list[Problem]]:
    scenarios, problems = [], []
    files = find_files(paths)
    for path in files:
        found, bad = load_file(path)
        scenarios += found
        problems += bad
    if not files:
        problems.append(Problem(Path(", ".join(map(str, paths)) or "."), None, "",
                                "no scenario files (*.yaml, *.yml) here"))
    return scenarios, problems


def selected(scenario: Scenario, keywords) -> bool:
    """``-k`` as substrings of the scenario's name or file (any of them; ``not X`` excludes)."""
    if not keywords:
        return True
    text = f"{scenario.file} {scenario.name}".lower()
    wanted = [k.lower() for k in keywords if not k.lower().startswith("not ")]
    unwanted = [k.lower()[4:].strip() for k in keywords if k.lower().startswith("not ")]
    if any(u in text for u in unwanted):
        return False
    return not wanted or any(w in text for w in wanted)


def replay(paths, *, url: str | None = None, seed: int | None = None, keywords=(),
           junit: str | None = None, stream=None) -> tuple[int, list[Result]]:
    """Replay every scenario under ``paths``; returns (exit status, results)."""
    console = Console(stream)
    started = time.perf_counter()
    scenarios, problems = load_all(paths)
    grouped: dict = {}
    for p in problems:
        grouped.setdefault((p.file, p.scenario), []).append(p)
    results = [problem_result(group) for group in grouped.values()]
    for r in results:
        console.result(r)
    chosen = [s for s in scenarios if selected(s, keywords)]
    target = url or "a fresh in-process simulator each"
    console.write(f"replaying {len(chosen)} scenario(s) against {target}")
    with Runner(url=url, seed=seed) as runner:
        for scenario in chosen:
            result = runner.run(scenario)
            results.append(result)
            console.result(result)
    seconds = time.perf_counter() - started
    console.summary(results, seconds)
    if junit:
        Path(junit).parent.mkdir(parents=True, exist_ok=True)
        Path(junit).write_text(junit_xml(results, seconds), encoding="utf-8")
        console.write(f"JUnit XML: {junit}")
    ok = results and all(r.passed for r in results)
    return (0 if ok else 1), results
