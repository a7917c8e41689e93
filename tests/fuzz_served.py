"""The long fuzz run: schemathesis's CLI against a served simulator, spec by spec.

    python tests/fuzz_served.py [--max-time 120] [--max-examples 40] [--seed 1] [spec ...]

For each spec (``twilio_api_v2010``, ``twilio_taskrouter_v1``, ...; all of
``tests/test_fuzz_no_5xx.SPECS`` by default) it starts a fresh ``twilio-sim serve --memory
--port 0``, seeds it as the suite's fuzz test does, writes a schemathesis configuration giving
every operation real path parameters (the account, its workspace, a task, a conversation, ...),
and runs ``schemathesis run SPEC --url http://127.0.0.1:PORT/<label> --checks
not_a_server_error`` with the account's Basic auth, on loopback only. It prints, per spec, the
requests made and their statuses, and every 5xx with the simulator's traceback; the exit status
is 1 when any request got a 5xx. Reports (NDJSON) go to ``--out`` (default a temporary folder).
"""
from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

import contract  # noqa: E402
from served import Served  # noqa: E402
from test_fuzz_no_5xx import SPECS, Seeded  # noqa: E402

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


def _send(base_url: str):
    session = requests.Session()

    def send(method, path, headers, data):
        r = session.request(method, base_url + path, headers=headers, data=data, timeout=30)
        try:
            return r.status_code, r.json()
        except ValueError:
            return r.status_code, None
    return send


def _config(seeded: Seeded, spec: str) -> str:
    """A schemathesis.toml: the real path parameters of every operation that has them."""
    doc = json.loads((contract.SPECS / f"{spec}.json").read_text())
    blocks = []
    for path in doc["paths"]:
        real = seeded.path_parameters(path) if "{" in path else {}
        if real:
            pairs = ", ".join(f'"path.{k}" = {json.dumps(v)}' for k, v in real.items())
            blocks.append(f"[[operations]]\ninclude-path = {json.dumps(path)}\n"
                          f"parameters = {{ {pairs} }}\n")
    return "\n".join(blocks)


def _summary(report_dir: Path) -> tuple[int, collections.Counter, list[str]]:
    statuses: collections.Counter = collections.Counter()
    errors: list[str] = []
    for report in report_dir.glob("*.ndjson"):
        for line in report.read_text().splitlines():
            finished = json.loads(line).get("ScenarioFinished")
            for interaction in ((finished or {}).get("recorder") or {}).get("interactions",
                                                                           {}).values():
                response = interaction.get("response")
                if response:
                    statuses[response["status_code"]] += 1
                    if response["status_code"] >= 500:
                        request = interaction["request"]
                        errors.append(f"{response['status_code']} {request['method']} "
                                      f"{request['uri']}")
    return sum(statuses.values()), statuses, errors


def fuzz(spec: str, args, out: Path, workdir: Path) -> bool:
    label, who, _ = SPECS[spec]
    served = Served("--memory", "--seed", str(args.seed), cwd=workdir)
    try:
        seeded = Seeded(_send(served.url), label, who)
        config = out / f"{spec}.toml"
        config.write_text(_config(seeded, spec))
        report_dir = out / spec
        command = [
            str(SCHEMATHESIS), "--config-file", str(config), "run",
            str(contract.SPECS / f"{spec}.json"), "--url", f"{served.url}/{label}",
            "--auth", ":".join(seeded.account), "--checks", "not_a_server_error",
            "--max-examples", str(args.max_examples), "--max-time", str(args.max_time),
            "--seed", str(args.seed), "--workers", "1", "--request-timeout", "30",
            "--generation-with-security-parameters", "false", "--generation-database", "none",
            "--suppress-health-check", "all", "--continue-on-failure", "--no-color",
            "--report", "ndjson", "--report-dir", str(report_dir)]
        started = time.monotonic()
        run = subprocess.run(command, capture_output=True, text=True)
        (out / f"{spec}.log").write_text(run.stdout + run.stderr)
        sent, statuses, errors = _summary(report_dir)
        by_class = {f"{k}xx": sum(v for s, v in statuses.items() if s // 100 == k)
                    for k in (2, 4, 5)}
        print(f"{spec}: {sent} requests in {time.monotonic() - started:.0f} s, {by_class}, "
              f"schemathesis exit {run.returncode}", flush=True)
        for error in dict.fromkeys(errors):
            print("   ", error)
        traces = [line for line in served.output.splitlines() if "Unhandled error" in line]
        if traces:
            print(f"    the simulator logged {len(traces)} unhandled errors; see "
                  f"{out / spec}.server.log")
            (out / f"{spec}.server.log").write_text(served.output)
        return not errors and not traces and run.returncode in (0, 1)
    finally:
        served.kill()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("specs", nargs="*", help=f"default: all of {', '.join(SPECS)}")
    parser.add_argument("--max-time", type=int, default=120, help="seconds per spec")
    parser.add_argument("--max-examples", type=int, default=40, help="per operation")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    unknown = [s for s in args.specs if s not in SPECS]
    if unknown:
        parser.error(f"unknown spec {unknown[0]}; one of {', '.join(SPECS)}")
    args.specs = args.specs or list(SPECS)
    if not contract.available():
        parser.error(f"the specs folder {contract.SPECS} is absent (set TWILIO_SIM_SPECS)")
    out = args.out or Path(tempfile.mkdtemp(prefix="twilio-sim-fuzz-"))
    out.mkdir(parents=True, exist_ok=True)
    print(f"reports in {out}", flush=True)
    with tempfile.TemporaryDirectory() as workdir:
        ok = [fuzz(spec, args, out, Path(workdir)) for spec in args.specs]
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main())
