"""Child processes of the Messages benchmark (``bench/messages.py``).

    python -m bench.msg_serve sim --messages 100000 [--data DIR] [--threads 8]
    python -m bench.msg_serve bare [--threads 8]         # reads its payloads (JSON) on stdin
    python -m bench.msg_serve advance --inflight 10000 [--data DIR]

``sim``: ``create_app(Settings())`` on the real clock (as ``twilio-sim serve``), in memory or
with ``--data``, holding ``--messages`` delivered messages of the fixtures' main account, served
by ``simulator.server.Server`` (waitress). It prints one JSON line when it listens, then answers
``{"op": "lag"}`` (how far behind the time-driven steps are) until stdin closes.

``bare``: the ceiling. Flask with the simulator's JSON settings under the same server and thread
count, the same three routes, no auth and no store: a create answers the simulator's own create
payload with the posted ``Body``, a fetch and a list answer the simulator's bytes.

``advance``: the clock frozen, ``--inflight`` messages sent (each with its status steps ahead),
then the clock advanced 10 s: how long the steps take (one JSON line).
"""
from __future__ import annotations

import argparse
import contextlib
import json
import logging
import shutil
import sys
import tempfile
import time

from flask import Flask, request

from simulator import create_app, garbage
from simulator.config import Settings
from simulator.dates import iso, parse_iso
from simulator.domain import messages
from simulator.server import Server

FROM = "+14155550100"     # the fixtures' main account's local SMS number
TO = "+14155550199"


def _main_account(sim) -> dict:
    return next(a for a in sim.store.find("accounts",
                                          lambda a: a["sid"] == a["owner_account_sid"]))


def _fill(sim, account_sid: str, n: int) -> list[str]:
    """``n`` delivered messages (no steps left): the history a busy account has."""
    sids = []
    for i in range(n):
        sids.append(messages.new_message(sim, account_sid, to=TO, from_=FROM, body=f"stored {i}",
                                status="delivered")["sid"])
    return sids


def lag(sim) -> dict:
    """Steps still waiting, and those whose time has passed (how far behind the run is)."""
    now = sim.clock.now()
    stamp = iso(now)
    pending = sim.store.find("timers", lambda t: True)
    due = sorted(t["due"] for t in pending if t["due"] <= stamp)
    return {"pending": len(pending), "due": len(due),
            "behind_seconds": (now - parse_iso(due[0])).total_seconds() if due else 0.0}


@contextlib.contextmanager
def _data_folder(arg: str | None, prefix: str):
    """``--data``: a folder, ``temp`` for a temporary one (removed after), or None (memory)."""
    if arg != "temp":
        yield arg
        return
    tmp = tempfile.mkdtemp(prefix=prefix)
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def serve_sim(args):
    with _data_folder(args.data, "bench-msg-") as data:
        app = create_app(Settings(seed=args.seed, data_dir=data))
        sim = app.extensions["twilio_sim"]
        main = _main_account(sim)
        t0 = time.perf_counter()
        sids = _fill(sim, main["sid"], args.messages)
        fill = time.perf_counter() - t0
        sim.store.settle(120)
        garbage.freeze_after_full_collections()   # as twilio-sim serve does
        server = Server(app, host="127.0.0.1", port=0, threads=args.threads).start()
        print(json.dumps({"port": server.port, "sid": main["sid"], "token": main["auth_token"],
                          "fetch_sid": sids[len(sids) // 2] if sids else None,
                          "messages": args.messages, "fill_seconds": fill}), flush=True)
        for line in sys.stdin:
            cmd = json.loads(line)
            if cmd["op"] == "lag":
                reply = lag(sim)
            else:
                reply = {"error": f"unknown op {cmd['op']!r}"}
            print(json.dumps(reply), flush=True)
        server.stop()
        sim.close()


def bare_app(payloads: dict) -> Flask:
    app = Flask("bare")
    app.json.sort_keys = False
    app.json.compact = True
    message, listed = payloads["message"], payloads["list"].encode()

    @app.post("/api/2010-04-01/Accounts/<account_sid>/Messages.json")
    def create(account_sid):
        return {**message, "body": request.form.get("Body")}, 201

    @app.get("/api/2010-04-01/Accounts/<account_sid>/Messages/<sid>.json")
    def fetch(account_sid, sid):
        return message

    @app.get("/api/2010-04-01/Accounts/<account_sid>/Messages.json")
    def list_(account_sid):
        return app.response_class(listed, mimetype="application/json")

    return app


def serve_bare(args):
    app = bare_app(json.loads(sys.stdin.readline()))
    server = Server(app, host="127.0.0.1", port=0, threads=args.threads).start()
    print(json.dumps({"port": server.port}), flush=True)
    sys.stdin.read()
    server.stop()


def advance(args):
    """Time one clock advance through ``--inflight`` messages' steps."""
    with _data_folder(args.data, "bench-adv-") as data:
        app = create_app(Settings(seed=args.seed, data_dir=data, freeze_clock=True))
        sim = app.extensions["twilio_sim"]
        main = _main_account(sim)
        t0 = time.perf_counter()
        for i in range(args.inflight):
            messages.send(sim, main, to=TO, from_=FROM, service_sid=None, body=f"in flight {i}",
                          media_urls=[])
        sent = time.perf_counter() - t0
        before = len(sim.scheduler._heap)
        t0 = time.perf_counter()
        sim.clock.advance(10)
        took = time.perf_counter() - t0
        left = sum(1 for m in sim.store.owned("messages", main["sid"])
                   if m["status"] != "delivered")
        print(json.dumps({"inflight": args.inflight, "send_seconds": sent, "seconds": took,
                          "steps": 3 * args.inflight, "heap_before": before,
                          "not_delivered": left}), flush=True)
        sim.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=("sim", "bare", "advance"))
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--inflight", type=int, default=10_000)
    parser.add_argument("--data", help="a data folder, or 'temp' for a temporary one")
    args = parser.parse_args()
    logging.getLogger("waitress").setLevel(logging.ERROR)
    {"sim": serve_sim, "bare": serve_bare, "advance": advance}[args.kind](args)


if __name__ == "__main__":
    main()
