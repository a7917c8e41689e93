"""``twilio-sim replay | record | scenario validate | scenario schema``."""
from __future__ import annotations

import json
import signal
import sys
import time
from pathlib import Path

import requests

from .loader import find_files, load_file
from .recorder import dump_yaml
from .replay import replay
from .schema import SCHEMA


def add_commands(subparsers):
    p = subparsers.add_parser("replay", help="replay scenario files against a fresh simulator",
                              description="Replay scenarios (YAML) against a fresh in-process "
                                          "simulator each, or a served one at --url (reset "
                                          "before each). Exit status 1 when any fails.")
    p.add_argument("paths", nargs="*", default=["scenarios"], metavar="PATH",
                   help="scenario files or folders (default: scenarios)")
    p.add_argument("--url", help="a running simulator (twilio-sim serve) instead of in-process")
    p.add_argument("--junit", metavar="FILE", help="write JUnit XML for CI")
    p.add_argument("-k", dest="keywords", action="append", default=[], metavar="NAME",
                   help="only scenarios whose name or file contains NAME ('not NAME' skips)")
    p.add_argument("--seed", type=int, help="seed for scenarios that set none")
    p.set_defaults(run=_replay)

    p = subparsers.add_parser("record", help="record a run against a served simulator as a "
                                             "scenario file",
                              description="Start recording on a served simulator (reset first "
                                          "unless --no-reset), let your app run against it, "
                                          "then stop (Enter, Ctrl-C, or after --for seconds) and "
                                          "write the scenario.")
    p.add_argument("--url", required=True, help="the simulator (twilio-sim serve)")
    p.add_argument("--out", required=True, metavar="FILE", help="the scenario file to write")
    p.add_argument("--name", help="the scenario's name")
    p.add_argument("--no-reset", action="store_true", help="record from the current state")
    p.add_argument("--for", dest="seconds", type=float, metavar="SECONDS",
                   help="stop after this many seconds instead of waiting for Enter")
    p.add_argument("--stop", action="store_true",
                   help="only stop the recording running there (started with POST "
                        "/_sim/v1/recording/start) and write it")
    p.set_defaults(run=_record)

    p = subparsers.add_parser("scenario", help="scenario files: validate, schema")
    sub = p.add_subparsers(dest="scenario_command", required=True)
    v = sub.add_parser("validate", help="check scenario files against the format")
    v.add_argument("paths", nargs="+", metavar="FILE")
    v.set_defaults(run=_validate)
    s = sub.add_parser("schema", help="print the scenario format's JSON Schema")
    s.set_defaults(run=_schema)


def _replay(args) -> int:
    status, _ = replay(args.paths, url=args.url, seed=args.seed, keywords=args.keywords,
                       junit=args.junit)
    return status


def _validate(args) -> int:
    bad = 0
    files = find_files(args.paths)
    for path in files:
        scenarios, problems = load_file(path)
        for problem in problems:
            print(problem)
        if problems:
            bad += 1
        else:
            names = ", ".join(s.name for s in scenarios)
            print(f"{path}: ok ({len(scenarios)} scenario{'s' * (len(scenarios) != 1)}: {names})")
    if not files:
        print("no scenario files found", file=sys.stderr)
        return 1
    return 1 if bad else 0


def _schema(args) -> int:
    print(json.dumps(SCHEMA, indent=2))
    return 0


def _record(args) -> int:
    base = args.url.rstrip("/") + "/_sim/v1/recording"

    def call(action: str, body=None) -> dict:
        r = requests.post(f"{base}/{action}", json=body or {}, timeout=60)
        if r.status_code >= 400:
            raise SystemExit(f"twilio-sim record: {action}: {r.status_code} {r.text[:300]}")
        return r.json()

    if not args.stop:
        call("start", {"reset": not args.no_reset, "name": args.name})
        print(f"Recording on {args.url}" + ("" if args.no_reset else " (reset first)") + "; "
              + (f"stopping in {args.seconds:g} s" if args.seconds is not None
                 else "press Enter or Ctrl-C to stop"), flush=True)
        previous = signal.signal(signal.SIGTERM, _interrupt)
        try:
            if args.seconds is not None:
                time.sleep(args.seconds)
            else:
                sys.stdin.readline()
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
    done = call("stop")
    scenario = done["scenario"]
    if args.name:
        scenario["name"] = args.name
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(dump_yaml(scenario), encoding="utf-8")
    print(f"wrote {args.out}: {len(scenario['steps'])} steps from {done['requests']} requests")
    return 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt
