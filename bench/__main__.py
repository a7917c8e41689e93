"""python -m bench: the simulator's throughput and latency, side by side, as ratios.

Part 1 (HTTP): SDK-shaped accounts.fetch / accounts.create against the simulator
on simulator.server.Server (waitress), beside a bare Flask app returning an
account-shaped payload of the same size on the same Server with the same
thread count. Both servers run in child processes; this process is the client.
Bursts alternate between the two servers, round after round.

Part 2 (store size): create / fetch / first page of the main account's Accounts
list through the app (werkzeug test client, full Flask stack), and the matching
raw Store calls, with ~1,000 vs ~100,000 records; the two stores live in two child
processes whose batches alternate.

Part 3 (TaskRouter engine, bench/engine.py): task create with its reservation and
reservation accept, among 1,000 workers, with 100 vs 10,000 tasks waiting; again two
child processes whose batches alternate.

Part 4 (pages, bench/pages.py): the inspector's messages page with 10 vs 10,000 messages.

Part 5 (messages, bench/messages.py): Messages create, fetch and list through a served
simulator on the real clock (every message's lifecycle running), in memory and with --data, at
1,000 and 100,000 stored messages, 1 and 16 connections, beside a bare Flask ceiling; and one
clock advance through 10,000 in-flight messages' steps.

The default is a quick run (about 2 minutes on 2 cores); --full runs the lengths the goals are
stated for (Messages create runs of 20 s; about 8 minutes).

It prints tables and one PASS/FAIL line per goal; it always exits 0 (a report).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from . import engine, messages, pages
from .http_load import get, run_load
from .sdk_shape import sdk_requests
from .stats import median, pct, ratio, table, ms

ROOT = Path(__file__).resolve().parent.parent
FETCH_GOAL = 0.60      # simulator fetch throughput / bare Flask fetch throughput >= this
SCALE_GOAL = 1.30      # p50(100k) / p50(1k) <= this, for create, fetch and list


class Child:
    """A child process speaking JSON lines on stdin/stdout; ended by closing stdin."""

    def __init__(self, *args: str):
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
        self.proc = subprocess.Popen([sys.executable, "-m", *args], cwd=ROOT, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def send(self, obj) -> None:
        self.proc.stdin.write((obj if isinstance(obj, str) else json.dumps(obj)) + "\n")
        self.proc.stdin.flush()

    def recv(self) -> dict:
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"child {self.proc.args} exited ({self.proc.wait()})")
        reply = json.loads(line)
        if "error" in reply:
            raise RuntimeError(f"child {self.proc.args}: {reply['error']}")
        return reply

    def ask(self, obj) -> dict:
        self.send(obj)
        return self.recv()

    def close(self):
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.terminate()  # this child only, by its own pid
            self.proc.wait(timeout=5)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


# -- part 1 --------------------------------------------------------------------------------------
def http_part(args) -> tuple[list[str], bool]:
    print(f"[1/3] HTTP: simulator vs bare Flask, waitress threads={args.server_threads}, "
          f"client connections={args.client_threads}, {args.rounds} rounds x "
          f"{args.seconds:g}s bursts per server and operation ...", flush=True)
    sim = Child("bench.serve", "sim", "--threads", str(args.server_threads))
    bare = None
    try:
        info = sim.recv()
        reqs = sdk_requests(info["sid"], info["token"])
        sim_addr = ("127.0.0.1", info["port"])
        status, payload = get(*sim_addr, reqs["fetch"].raw(f"127.0.0.1:{info['port']}"))
        if status != 200:
            raise RuntimeError(f"SDK-shaped fetch answered {status}: {payload[:300]!r}")
        bare = Child("bench.serve", "bare", "--threads", str(args.server_threads))
        bare.send(payload.decode())
        bare_addr = ("127.0.0.1", bare.recv()["port"])
        _, bare_payload = get(*bare_addr, reqs["fetch"].raw(f"127.0.0.1:{bare_addr[1]}"))

        servers = {"simulator": sim_addr, "bare Flask": bare_addr}
        ops = {"fetch": ("fetch", 200), "create": ("create", 201)}
        raw = {(s, op): reqs[r].raw(f"{a[0]}:{a[1]}")
               for s, a in servers.items() for op, (r, _) in ops.items()}
        results = {k: [] for k in raw}
        for s, a in servers.items():  # warm-up, discarded
            for op, (_, code) in ops.items():
                run_load(*a, raw[s, op], code, args.client_threads, min(0.5, args.seconds))
        for rnd in range(args.rounds):
            order = list(servers) if rnd % 2 == 0 else list(servers)[::-1]
            for op, (_, code) in ops.items():
                for s in order:
                    r = run_load(*servers[s], raw[s, op], code, args.client_threads, args.seconds)
                    if r["errors"]:
                        raise RuntimeError(f"{s} {op}: {r['errors']} unexpected statuses")
                    results[s, op].append(r)
    finally:
        sim.close()
        if bare:
            bare.close()

    rows, summary = [], {}
    for op in ops:
        round_ratios = [ratio(a["rps"], b["rps"]) for a, b in
                        zip(results["simulator", op], results["bare Flask", op])]
        pooled = {}
        for s in servers:
            rs = results[s, op]
            lat = [x for r in rs for x in r["lat_ns"]]
            pooled[s] = sum(r["n"] for r in rs) / sum(r["elapsed"] for r in rs)
            rows.append([f"{op:6} {s}", f"{pooled[s]:.0f}", ms(pct(lat, 50)), ms(pct(lat, 99)),
                         len(lat)])
        summary[op] = (median(round_ratios), min(round_ratios), max(round_ratios),
                       ratio(pooled["simulator"], pooled["bare Flask"]))
    print()
    print(table(["operation / server", "req/s", "p50 ms", "p99 ms", "requests"], rows,
                title=f"HTTP, {args.client_threads} keep-alive client connections "
                      f"(response bytes: simulator {len(payload)}, bare {len(bare_payload)})"))
    print()
    ratio_rows = [[f"{op} throughput simulator / bare", f"{m:.0%}", f"{lo:.0%}..{hi:.0%}",
                   f"{p:.0%}"] for op, (m, lo, hi, p) in summary.items()]
    print(table(["ratio", "median of rounds", "range", "pooled"], ratio_rows))
    fetch_ratio = summary["fetch"][0]
    ok = fetch_ratio >= FETCH_GOAL
    return [f"{verdict(ok)}  goal 1: SDK-shaped fetch throughput / bare Flask = "
            f"{fetch_ratio:.0%} (goal >= {FETCH_GOAL:.0%})"], ok


# -- part 2 --------------------------------------------------------------------------------------
APP_OPS = ("create", "fetch", "list")
EXTRA_OPS = ("list_deep",)   # shown, not a goal
STORE_OPS = ("store_insert", "store_get", "store_owned")
LABELS = {"create": "POST Accounts.json (create)", "fetch": "GET Accounts/{Sid}.json (fetch)",
          "list": "GET Accounts.json (first page, 50)",
          "list_deep": "GET Accounts.json (last page, PageToken)*", "store_insert": "Store.insert",
          "store_get": "Store.get", "store_owned": "Store.owned (51 of one owner)"}


def store_part(args) -> tuple[list[str], bool, dict]:
    sizes = {"small": args.small, "large": args.large}
    print(f"\n[2/3] Store size: {args.small:,} vs {args.large:,} records, {args.store_rounds} "
          f"rounds x {args.batch} requests per operation ...", flush=True)
    workers = {k: Child("bench.store_worker", "--records", str(n)) for k, n in sizes.items()}
    try:
        ready = {k: w.recv() for k, w in workers.items()}
        for k, r in ready.items():
            print(f"  {k}: {r['records']:,} records ({r['accounts']:,} accounts under the main "
                  f"account) filled in {r['fill_seconds']:.1f}s", flush=True)
        ops = APP_OPS + EXTRA_OPS + STORE_OPS
        lat = {(k, op): [] for k in sizes for op in ops}
        round_ratios = {op: [] for op in ops}   # p50 large / p50 small, batch pair by pair
        for op in ops:  # warm-up, discarded
            for w in workers.values():
                w.ask({"op": op, "n": max(10, args.batch // 5)})
        for rnd in range(args.store_rounds):
            order = list(sizes) if rnd % 2 == 0 else list(sizes)[::-1]
            for op in ops:
                got = {k: workers[k].ask({"op": op, "n": args.batch})["lat_ns"] for k in order}
                for k in sizes:
                    lat[k, op] += got[k]
                round_ratios[op].append(ratio(pct(got["large"], 50), pct(got["small"], 50)))
        rows, results = [], {}
        for op in ops:
            s, l = lat["small", op], lat["large", op]
            r50 = median(round_ratios[op])
            r99 = ratio(pct(l, 99), pct(s, 99))
            results[op] = (r50, r99)
            rows.append([LABELS[op], ms(pct(s, 50)), ms(pct(l, 50)), f"{r50:.2f}",
                         f"{ratio(pct(l, 50), pct(s, 50)):.2f}",
                         ms(pct(s, 99)), ms(pct(l, 99)), f"{r99:.2f}"])
        k1, k2 = f"{ready['small']['records'] // 1000}k", f"{ready['large']['records'] // 1000}k"
        print()
        print(table(["operation", f"p50 ms {k1}", f"p50 ms {k2}", "p50 ratio", "(pooled)",
                     f"p99 ms {k1}", f"p99 ms {k2}", "p99 ratio"], rows,
                    title="Latency by store size (through the app = werkzeug test client with "
                          "SDK-shaped requests; Store.* = the raw calls).\n"
                          "p50 ratio = median over rounds of p50(large batch) / p50(small batch); "
                          "(pooled) and p99 ratio use all samples.\n"
                          "* not a goal: the page the SDK reaches last when it follows "
                          "next_page_uri through the whole list."))
        lines, all_ok = [], True
        for op in APP_OPS:
            ok = results[op][0] <= SCALE_GOAL
            all_ok &= ok
            lines.append(f"{verdict(ok)}  goal 2: {op:6} p50 {k2}/{k1} = {results[op][0]:.2f} "
                         f"(goal <= {SCALE_GOAL}; p99 ratio {results[op][1]:.2f}, not a goal)")
        deep = results["list_deep"][0]
        lines.append(f"{'INFO' if deep <= SCALE_GOAL else 'WARN'}  list via PageToken near the "
                     f"end, p50 {k2}/{k1} = {deep:.2f} (not a goal; resuming scans the owner's "
                     f"records up to the token)")
        lines += timers_probe(workers["small"], args)
        failing = [op for op in APP_OPS if results[op][0] > SCALE_GOAL]
        profiles = {}
        if args.profile or failing:
            for op in (failing or ["fetch"]):
                profiles[op] = workers["large"].ask({"op": "profile", "what": op,
                                                     "n": args.batch})["text"]
        return lines, all_ok, profiles
    finally:
        for w in workers.values():
            w.close()


def timers_probe(worker: Child, args) -> list[str]:
    """Not a goal: does the cost of a request depend on pending time-driven steps?
    Fetch on the small store, before and after scheduling ``--timers`` steps an hour
    ahead (run last: it changes that store). Skipped without simulator.scheduler."""
    if not args.timers:
        return []
    before = []
    for _ in range(3):
        before += worker.ask({"op": "fetch", "n": args.batch})["lat_ns"]
    if not worker.ask({"op": "add_timers", "n": args.timers})["added"]:
        return []
    after = []
    for _ in range(3):
        after += worker.ask({"op": "fetch", "n": args.batch})["lat_ns"]
    r = ratio(pct(after, 50), pct(before, 50))
    print(f"\nPending timers (not a goal): fetch p50 {ms(pct(before, 50))} ms -> "
          f"{ms(pct(after, 50))} ms after scheduling {args.timers:,} steps an hour ahead "
          f"(x{r:.2f})")
    return [f"{'INFO' if r <= SCALE_GOAL else 'WARN'}  fetch p50 with {args.timers:,} pending "
            f"timers / without = {r:.2f} (every request runs scheduler.run_due)"]


def profile_fetch(n: int) -> str:
    """cProfile of SDK-shaped fetches through the simulator app (fixtures only)."""
    w = Child("bench.store_worker", "--records", "0")
    try:
        w.recv()
        return w.ask({"op": "profile", "what": "fetch", "n": n})["text"]
    finally:
        w.close()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--full", action="store_true",
                   help="the long run: more rounds, and Messages runs of 20s (the length the "
                        "p99 goals are stated for); the default is a quick run")
    p.add_argument("--quick", action="store_true", help="the default (kept for old scripts)")
    p.add_argument("--rounds", type=int, default=None, help="HTTP rounds (6; --full 20)")
    p.add_argument("--seconds", type=float, default=None,
                   help="seconds per HTTP burst (0.4; --full 0.5)")
    p.add_argument("--client-threads", type=int, default=4, help="client connections (4)")
    p.add_argument("--server-threads", type=int, default=8,
                   help="waitress threads of both servers (8, as twilio-sim serve)")
    p.add_argument("--small", type=int, default=1_000, help="records in the small store")
    p.add_argument("--large", type=int, default=100_000, help="records in the large store")
    p.add_argument("--store-rounds", type=int, default=None,
                   help="store-size rounds (4; --full 12)")
    p.add_argument("--batch", type=int, default=None,
                   help="requests per store-size batch (50; --full 100)")
    p.add_argument("--timers", type=int, default=10_000,
                   help="pending timers for the (non-goal) scheduler probe; 0 skips it")
    p.add_argument("--engine-workers", type=int, default=1_000,
                   help="TaskRouter workers in the engine part (1,000)")
    p.add_argument("--engine-small", type=int, default=100,
                   help="tasks waiting in the engine's small case (100)")
    p.add_argument("--engine-large", type=int, default=10_000,
                   help="tasks waiting in the engine's large case (10,000)")
    p.add_argument("--engine-rounds", type=int, default=None, help="engine rounds (6; --full 16)")
    p.add_argument("--engine-batch", type=int, default=None,
                   help="engine cycles per batch (20; --full 40; a cycle runs each operation once)")
    p.add_argument("--profile", action="store_true",
                   help="print cProfile output even when every goal passes")
    p.add_argument("--only", choices=("http", "store", "engine", "pages", "messages"),
                   help="run one part only")
    pages.add_arguments(p)
    messages.add_arguments(p)
    args = p.parse_args(argv)
    for name, quick, full in (("rounds", 6, 20), ("seconds", 0.4, 0.5), ("store_rounds", 4, 12),
                              ("batch", 50, 100), ("engine_rounds", 6, 16),
                              ("engine_batch", 20, 40)):
        if getattr(args, name) is None:
            setattr(args, name, full if args.full else quick)
    args.quick = not args.full

    t0 = time.perf_counter()
    print(f"bench: python {sys.version.split()[0]}, {os.cpu_count()} CPUs; "
          f"ratios are measured side by side in this run", flush=True)
    verdicts, profiles = [], {}
    http_ok = True
    if args.only in (None, "http"):
        lines, http_ok = http_part(args)
        verdicts += lines
    if args.only in (None, "store"):
        lines, _, profiles = store_part(args)
        verdicts += lines
    if args.only in (None, "engine"):
        lines, _, engine_profiles = engine.engine_part(args, Child)
        verdicts += lines
        profiles.update(engine_profiles)
    if args.only in (None, "pages"):
        verdicts += pages.pages_part(args)[0]
    if args.only in (None, "messages"):
        verdicts += messages.messages_part(args, Child)[0]
    if args.only in (None, "http") and (not http_ok or args.profile):
        print("\ncProfile, SDK-shaped fetch through the simulator app (top functions by own time):")
        print(profile_fetch(500 if not args.quick else 200))
    for op, text in profiles.items():
        where = (f"with {args.engine_large:,} tasks waiting" if op.startswith("engine ")
                 else f"through the app with {args.large:,} records")
        print(f"\ncProfile, {op} {where} (top functions by own time):")
        print(text)
    print()
    print("\n".join(verdicts))
    print(f"(whole run: {time.perf_counter() - t0:.0f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
