"""What a replay tells: a progress line per scenario, the diff of a failing step (with the
request and the response), a summary, and JUnit XML for CI."""
from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from .loader import Problem
from .runner import Failure, Result

MARKS = {"passed": "PASS ", "failed": "FAIL ", "error": "ERROR"}


def describe(result: Result) -> str:
    """The failure of one scenario, readable: where, what differs, what was asked and got."""
    f = result.failure
    if f is None:
        return ""
    place = f"{result.file}:{f.line}" if f.line else str(result.file)
    lines = [f"{place}: {result.name}: {f.label}: {f.message}"]
    for path, message in f.problems:
        lines.append(f"    {path}: {message}")
    lines += ["    " + line for line in f.exchange]
    return "\n".join(lines)


def problem_result(problems: list[Problem]) -> Result:
    """A scenario that does not load (its problems, all from one file), as an error result."""
    first = problems[0]
    more = "".join(f"\n{p}" for p in problems[1:])
    return Result(None, first.scenario or first.file.name, first.file, "error",
                  failure=Failure(None, first.where or "file", first.line,
                                  first.message + more))


class Console:
    def __init__(self, stream=None, verbose: bool = False):
        self.stream = stream or sys.stdout
        self.verbose = verbose

    def write(self, text: str = ""):
        print(text, file=self.stream, flush=True)

    def result(self, result: Result):
        timing = f"{result.steps} steps, {result.seconds:.2f} s" if result.scenario else "invalid"
        self.write(f"{MARKS[result.outcome]} {result.file}: {result.name} ({timing})")
        if not result.passed:
            self.write(_indent(describe(result)))

    def summary(self, results: list[Result], seconds: float):
        counts = {k: sum(r.outcome == k for r in results) for k in MARKS}
        parts = [f"{counts['passed']} passed", f"{counts['failed']} failed"]
        if counts["error"]:
            parts.append(f"{counts['error']} errors")
        self.write(f"{len(results)} scenarios: {', '.join(parts)} in {seconds:.2f} s")


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


def junit_xml(results: list[Result], seconds: float, suite: str = "twilio-sim scenarios") -> str:
    root = ET.Element("testsuites", name=suite, tests=str(len(results)),
                      failures=str(sum(r.outcome == "failed" for r in results)),
                      errors=str(sum(r.outcome == "error" for r in results)),
                      time=f"{seconds:.3f}")
    by_file: dict[Path, list[Result]] = {}
    for r in results:
        by_file.setdefault(r.file, []).append(r)
    for file, group in by_file.items():
        ts = ET.SubElement(root, "testsuite", name=str(file), tests=str(len(group)),
                           failures=str(sum(r.outcome == "failed" for r in group)),
                           errors=str(sum(r.outcome == "error" for r in group)),
                           skipped="0", time=f"{sum(r.seconds for r in group):.3f}")
        for r in group:
            case = ET.SubElement(ts, "testcase", classname=_classname(file), name=r.name,
                                 file=str(file), time=f"{r.seconds:.3f}")
            if r.failure is not None:
                f = r.failure
                tag = "failure" if r.outcome == "failed" else "error"
                message = f"{f.label}: {f.message}"
                if f.problems:
                    message += " (" + "; ".join(f"{p}: {m}" for p, m in f.problems[:3]) + ")"
                ET.SubElement(case, tag, message=message,
                              type="ScenarioFailure" if tag == "failure" else "ScenarioError"
                              ).text = describe(r)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _classname(file: Path) -> str:
    return ".".join(Path(file).with_suffix("").parts).lstrip(".") or "scenarios"
