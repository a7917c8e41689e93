"""Child process: serve one app on ``simulator.server.Server`` (waitress) until stdin closes.

    python -m bench.serve sim  --threads 8     # create_app(Settings()) in memory
    python -m bench.serve bare --threads 8     # bare Flask; reads the payload (JSON) on stdin

Prints one JSON line ({"port": ...}) when it is listening. The server runs in its
own process so that the load generator does not share its GIL.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys

from flask import Flask, request

from simulator.server import Server


def bare_app(payload: dict) -> Flask:
    """The baseline: Flask with the simulator's JSON settings, the same routes, no
    auth, no store, returning an account-shaped dict of the same size."""
    app = Flask("bare")
    app.json.sort_keys = False
    app.json.compact = True

    @app.get("/api/2010-04-01/Accounts/<sid>.json")
    def fetch(sid):
        return payload

    @app.post("/api/2010-04-01/Accounts.json")
    def create():
        return {**payload, "friendly_name": request.form.get("FriendlyName")}, 201

    return app


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=("sim", "bare"))
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    logging.getLogger("waitress").setLevel(logging.ERROR)
    if args.kind == "sim":
        from simulator import create_app
        from simulator.config import Settings
        app = create_app(Settings(seed=args.seed))
        sim = app.extensions["twilio_sim"]
        main_acc = next(a for a in sim.store.find("accounts",
                                                   lambda a: a["sid"] == a["owner_account_sid"]))
        info = {"sid": main_acc["sid"], "token": main_acc["auth_token"]}
    else:
        payload = json.loads(sys.stdin.readline())
        app = bare_app(payload)
        info = {}
    server = Server(app, host="127.0.0.1", port=0, threads=args.threads).start()
    print(json.dumps({"port": server.port, **info}), flush=True)
    sys.stdin.read()  # until the parent closes our stdin
    server.stop()


if __name__ == "__main__":
    main()
