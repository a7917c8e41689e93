"""Messages under load, beside the bare ceiling of the same run (``python -m bench --only
messages``; children in ``bench/msg_serve.py``).

For each storage (in memory, ``--data``) and store size (``--msg-small`` 1,000 and
``--msg-large`` 100,000 delivered messages), one simulator child serves on the real clock
(as ``twilio-sim serve``), so every created message runs its lifecycle (queued -> sending ->
sent -> delivered, a step a second) while the load goes on. At 1 and 16 keep-alive
connections: SDK-shaped ``messages.create`` for ``--msg-seconds`` on the simulator, right after
half as long on the bare Flask app (same server, same threads), for the tail; then, for the
throughput ratio, interleaved short rounds of both (4; ``--full`` 10, half the create seconds
in all each), the ratio being the median of the rounds'; then ``messages(sid).fetch()``
and ``messages.page()`` on both. Printed: req/s, p50 and p99 of each, the ratio to the ceiling,
and how many time-driven steps were overdue when the create run ended (the scheduler keeping
up). A child (``advance``) times one clock advance through ``--inflight`` messages' steps.
"""
from __future__ import annotations

import json

from .http_load import get, run_load_select as run_load
from .sdk_shape import sdk_message_requests
from .stats import median, ms, pct, ratio, table

CREATE_GOAL = {"memory": 0.6, "data": 0.5}   # create req/s / bare req/s, 1 connection
P99_ONE_MS = 5.0                              # create p99 at 1 connection
P99_MANY_X = 3.0                              # create p99 at 16 connections / bare p99
ADVANCE_GOAL_S = 0.5                          # clock advance through 10,000 in-flight messages
GOAL_SECONDS = 20                             # the p99 goals are stated for runs this long
TO, FROM = "+14155550199", "+14155550100"


def add_arguments(p):
    g = p.add_argument_group("messages part")
    g.add_argument("--msg-small", type=int, default=1_000, help="stored messages, small (1,000)")
    g.add_argument("--msg-large", type=int, default=100_000,
                   help="stored messages, large (100,000)")
    g.add_argument("--msg-seconds", type=float, default=None,
                   help="seconds of create load per storage, size and connection count "
                        "(default 4; --full 20); the bare ceiling gets half as long")
    g.add_argument("--msg-read-seconds", type=float, default=None,
                   help="seconds of fetch and of list load each (default 1; --full 4)")
    g.add_argument("--msg-conns", default="1,16", help="client connections (1,16)")
    g.add_argument("--msg-storage", default="memory,data", help="memory,data")
    g.add_argument("--inflight", type=int, default=10_000,
                   help="in-flight messages whose steps one clock advance runs (10,000)")


def _burst(addr, raw, code, conns, seconds) -> dict:
    r = run_load(*addr, raw, code, conns, seconds)
    if r["errors"]:
        raise RuntimeError(f"{r['errors']} unexpected statuses (expected {code})")
    return r


def _rounds(sim, bare, code, conns, seconds, rounds) -> float:
    """The median throughput ratio simulator / bare over ``rounds`` interleaved rounds (which
    server goes first alternates), ``seconds`` of load each in all."""
    ratios = []
    for r in range(rounds):
        got = {}
        order = (("bare", bare), ("sim", sim))
        for name, (addr, raw) in (order if r % 2 == 0 else order[::-1]):
            got[name] = _burst(addr, raw, code, conns, seconds / rounds)["rps"]
        ratios.append(ratio(got["sim"], got["bare"]))
    return median(ratios)


def messages_part(args, child_class) -> tuple[list[str], bool]:
    seconds = args.msg_seconds or (GOAL_SECONDS if args.full else 4.0)
    rounds = 10 if args.full else 4
    read_seconds = args.msg_read_seconds or (4.0 if args.full else 1.0)
    conns_list = [int(c) for c in args.msg_conns.split(",") if c]
    storages = [s for s in args.msg_storage.split(",") if s]
    sizes = [args.msg_small, args.msg_large]
    print(f"\n[messages] Messages on the real clock (lifecycle running), {', '.join(storages)}, "
          f"{' and '.join(f'{n:,}' for n in sizes)} stored messages, "
          f"{' and '.join(map(str, conns_list))} connections; create {seconds:g}s "
          f"(bare {seconds / 2:g}s), fetch and list {read_seconds:g}s each ...", flush=True)
    lines, all_ok = [], True

    adv = child_class("bench.msg_serve", "advance", "--inflight", str(args.inflight))
    try:
        a = adv.recv()
    finally:
        adv.close()
    ok = a["seconds"] <= ADVANCE_GOAL_S and a["not_delivered"] == 0
    all_ok &= ok
    print(f"  clock advance through {a['inflight']:,} in-flight messages ({a['steps']:,} steps): "
          f"{a['seconds']:.3f}s ({a['seconds'] / a['steps'] * 1e6:.1f} us a step; sending them "
          f"took {a['send_seconds']:.2f}s); not delivered after: {a['not_delivered']}", flush=True)
    lines.append(f"{'PASS' if ok else 'FAIL'}  goal 5: clock advance through {a['inflight']:,} "
                 f"in-flight messages' steps = {a['seconds']:.3f}s (goal <= {ADVANCE_GOAL_S}s)")

    bare = None
    rows, verdicts = [], []
    try:
        for storage in storages:
            for size in sizes:
                extra = ("--data", "temp") if storage == "data" else ()
                sim = child_class("bench.msg_serve", "sim", "--messages", str(size),
                                  "--threads", str(args.server_threads), *extra)
                try:
                    info = sim.recv()
                    print(f"  {storage}, {size:,} messages: filled in {info['fill_seconds']:.1f}s",
                          flush=True)
                    sim_addr = ("127.0.0.1", info["port"])
                    reqs = sdk_message_requests(info["sid"], info["token"], info["fetch_sid"],
                                                TO, FROM)
                    host = f"127.0.0.1:{info['port']}"
                    raw = {op: r.raw(host) for op, r in reqs.items()}
                    if bare is None:   # the ceiling answers the simulator's own bytes
                        payloads = {}
                        for op, key in (("create", "message"), ("list", "list")):
                            status, body = get(*sim_addr, raw[op])
                            if status not in (200, 201):
                                raise RuntimeError(f"SDK-shaped {op} answered {status}: "
                                                   f"{body[:300]!r}")
                            payloads[key] = body.decode()
                        payloads["message"] = json.loads(payloads["message"])
                        bare = child_class("bench.msg_serve", "bare", "--threads",
                                           str(args.server_threads))
                        bare.send(payloads)
                        bare_addr = ("127.0.0.1", bare.recv()["port"])
                    bare_raw = {op: r.raw(f"127.0.0.1:{bare_addr[1]}") for op, r in reqs.items()}
                    codes = {"create": 201, "fetch": 200, "list": 200}
                    for op, code in codes.items():   # warm-up (starts the ticker), discarded
                        _burst(sim_addr, raw[op], code, 1, 0.3)
                        _burst(bare_addr, bare_raw[op], code, 1, 0.2)
                    for conns in conns_list:
                        res = {}
                        # the tail: one continuous run each (the lifecycle running all along)
                        res["bare", "create"] = _burst(bare_addr, bare_raw["create"], 201,
                                                       conns, seconds / 2)
                        res["sim", "create"] = _burst(sim_addr, raw["create"], 201, conns,
                                                      seconds)
                        # throughput: short interleaved rounds, so both see the same machine
                        create_ratio = _rounds((sim_addr, raw["create"]),
                                               (bare_addr, bare_raw["create"]), 201, conns,
                                               seconds / 2, rounds)
                        behind = sim.ask({"op": "lag"})
                        for op in ("fetch", "list"):
                            res["bare", op] = _burst(bare_addr, bare_raw[op], 200, conns,
                                                     read_seconds)
                            res["sim", op] = _burst(sim_addr, raw[op], 200, conns, read_seconds)
                        for op in codes:
                            s, b = res["sim", op], res["bare", op]
                            rows.append([f"{storage:6} {size:>7,}  {op:6} x{conns:<2}",
                                         f"{s['rps']:.0f}", f"{b['rps']:.0f}",
                                         f"{ratio(s['rps'], b['rps']):.2f}",
                                         ms(pct(s["lat_ns"], 50)), ms(pct(s["lat_ns"], 99)),
                                         ms(pct(b["lat_ns"], 50)), ms(pct(b["lat_ns"], 99)),
                                         f"{max(s['lat_ns']) / 1e6:.1f}"])
                        s, b = res["sim", "create"], res["bare", "create"]
                        verdicts.append((storage, size, conns, s, b, behind, create_ratio))
                        print(f"    x{conns}: create {s['rps']:.0f} req/s (bare {b['rps']:.0f}; "
                              f"interleaved, {create_ratio:.3f} of bare), "
                              f"p99 {ms(pct(s['lat_ns'], 99))} ms (bare "
                              f"{ms(pct(b['lat_ns'], 99))}); steps due at the end: "
                              f"{behind['due']:,} of {behind['pending']:,} pending, the oldest "
                              f"{behind['behind_seconds']:.0f}s ago", flush=True)
                finally:
                    sim.close()
    finally:
        if bare:
            bare.close()
    print()
    print(table(["storage, stored, op, conns", "sim req/s", "bare req/s", "ratio", "sim p50",
                 "sim p99", "bare p50", "bare p99", "sim max"], rows,
                title="Messages through the simulator vs the bare ceiling (ms; SDK-shaped; the "
                      "simulator on the real clock with every created message's lifecycle "
                      "running)"))
    short = "" if seconds >= GOAL_SECONDS else (f"; runs of {seconds:g}s, the goal is stated for "
                                                f">= {GOAL_SECONDS}s: --full")
    for storage, size, conns, s, b, behind, r in verdicts:
        where = f"{storage}, {size:,} stored, x{conns}"
        rounds_note = f"; median of {rounds} interleaved rounds"
        p99, bp99 = pct(s["lat_ns"], 99) / 1e6, pct(b["lat_ns"], 99) / 1e6
        if conns == 1:
            goal = CREATE_GOAL[storage]
            ok = r >= goal
            all_ok &= ok
            lines.append(f"{'PASS' if ok else 'FAIL'}  goal 4: Messages.create throughput / "
                         f"bare = {r:.3f} ({where}{rounds_note}; goal >= {goal})")
            ok = p99 <= P99_ONE_MS
            lines.append(f"{'PASS' if ok else 'FAIL'}  goal 4: Messages.create p99 = "
                         f"{p99:.2f} ms ({where}; goal <= {P99_ONE_MS:g} ms{short})")
        else:
            ok = p99 <= P99_MANY_X * bp99
            lines.append(f"{'PASS' if ok else 'FAIL'}  goal 4: Messages.create p99 = {p99:.2f} "
                         f"ms = {ratio(p99, bp99):.1f}x bare ({bp99:.2f} ms) ({where}; goal <= "
                         f"{P99_MANY_X:g}x{short})")
            lines.append(f"INFO  Messages.create throughput / bare = {r:.2f} ({where}"
                         f"{rounds_note})")
        all_ok &= ok
        lines.append(f"{'INFO' if behind['behind_seconds'] <= 2 else 'WARN'}  when the create "
                     f"run ended, {behind['due']:,} steps were due, the oldest "
                     f"{behind['behind_seconds']:.0f}s ago ({where}; a WARN when they lag "
                     f"more than 2s)")
    return lines, all_ok
