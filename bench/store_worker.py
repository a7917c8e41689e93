"""Child process: one simulator app holding N records, measured on command.

    python -m bench.store_worker --records 100000

Fills the store, prints one JSON line ({"records": ..., "fill_seconds": ...}),
then answers JSON commands on stdin, one per line, each with one JSON line:

    {"op": "fetch", "n": 200}  ->  {"lat_ns": [...]}     (also create, list, list_deep,
                                                          store_get, store_insert, store_owned)
    {"op": "profile", "n": 500, "what": "fetch"}  ->  {"text": "<cProfile top functions>"}
    {"op": "add_timers", "n": 10000}  ->  {"added": true}  (false: no simulator.scheduler)

Each size lives in its own process so that one size's heap (and the garbage
collector walking it) does not slow the other size's measurements; the parent
interleaves the two processes' batches.

How the store is filled: subaccounts of the fixtures' main account, made by the
app's own ``new_account`` (the function POST /Accounts.json calls) on the app's
Simulator, i.e. exactly the two records (account + test credentials) a create
writes, minus the HTTP layer (which would make 100k records take minutes).
All of them belong to the main account whose fetch/create/list is measured: the
worst case for its per-owner index (half the store in one owner's bucket, the
other half in as many one-record buckets) and for the Accounts list that pages it.
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import pstats
import random
import sys
import time

from simulator import create_app
from simulator.config import Settings
from simulator.domain.accounts import new_account

from .sdk_shape import sdk_requests


def total_records(store) -> int:
    with store.lock:
        return sum(len(t) for t in store._storage.read().values())


class Worker:
    def __init__(self, records: int, seed: int):
        self.app = create_app(Settings(seed=seed))
        self.sim = self.app.extensions["twilio_sim"]
        self.store = self.sim.store
        main = next(a for a in self.store.find("accounts",
                                                lambda a: a["sid"] == a["owner_account_sid"]))
        self.main = main
        self.rng = random.Random(seed)
        t0 = time.perf_counter()
        self.subs = self._fill(records)
        self.fill_seconds = time.perf_counter() - t0
        gc.collect()  # start both sizes from a collected heap (untimed)
        self.client = self.app.test_client()
        self.reqs = {op: r.for_test_client() for op, r in
                     sdk_requests(main["sid"], main["auth_token"]).items()}
        self.fetch_path = self.reqs["fetch"]["path"].replace(main["sid"], "{sid}")
        # the last full page of the main account's Accounts list, reached the way the
        # SDK follows next_page_uri: Page=N&PageToken=PA<sid that ended page N-1>
        order = [a["sid"] for a in self.store.owned("accounts", main["sid"])]
        page = (len(order) - 1) // 50 - 1
        self.deep_list = dict(self.reqs["list"])
        if page >= 1:
            self.deep_list["path"] += f"?PageSize=50&Page={page}&PageToken=PA{order[page * 50 - 1]}"

    def _fill(self, records: int) -> list[str]:
        subs = [a["sid"] for a in self.store.owned("accounts", self.main["sid"])
                if a["sid"] != self.main["sid"]]
        missing = max(0, records - total_records(self.store))
        for i in range((missing + 1) // 2):  # 2 records per account (+ its test credentials)
            subs.append(new_account(self.sim, owner_sid=self.main["sid"], type_=self.main["type"],
                                    friendly_name=f"bench fill {i}")["sid"])
        return subs

    # -- one batch of an operation; returns latencies in ns --------------------------------
    def batch(self, op: str, n: int) -> list[int]:
        return getattr(self, "op_" + op)(n)

    def _timed(self, n, call, check) -> list[int]:
        clock, out = time.perf_counter_ns, []
        for _ in range(n):
            t0 = clock()
            result = call()
            out.append(clock() - t0)
            check(result)
        return out

    @staticmethod
    def _status(expected):
        def check(resp):
            if resp.status_code != expected:
                raise RuntimeError(f"HTTP {resp.status_code}: {resp.get_data(as_text=True)[:300]}")
        return check

    def op_fetch(self, n):
        kw = dict(self.reqs["fetch"])
        sids = [self.rng.choice(self.subs) for _ in range(n)]
        it = iter(sids)

        def call():
            kw["path"] = self.fetch_path.format(sid=next(it))
            return self.client.open(**kw)
        return self._timed(n, call, self._status(200))

    def op_create(self, n):
        created = []

        def check(resp):
            self._status(201)(resp)
            created.append(resp.get_json()["sid"])
        lat = self._timed(n, lambda: self.client.open(**self.reqs["create"]), check)
        self._forget_accounts(created)  # keep the store at its size (untimed)
        return lat

    def op_list(self, n):
        def check(resp):
            self._status(200)(resp)
            if not resp.get_json()["accounts"]:
                raise RuntimeError("the first page is empty")
        return self._timed(n, lambda: self.client.open(**self.reqs["list"]), check)

    def op_list_deep(self, n):
        return self._timed(n, lambda: self.client.open(**self.deep_list), self._status(200))

    # -- the same operations on the Store API alone ------------------------------------------
    def op_store_get(self, n):
        sids = iter([self.rng.choice(self.subs) for _ in range(n)])
        return self._timed(n, lambda: self.store.get("accounts", next(sids)), lambda d: None)

    def op_store_insert(self, n):
        template = self.store.get("accounts", self.subs[0])
        sids = [self.sim.ids.sid("AC") for _ in range(n)]
        it = iter(sids)
        lat = self._timed(n, lambda: self.store.insert("accounts", {**template, "sid": next(it)}),
                          lambda d: None)
        for sid in sids:
            self.store.delete("accounts", sid)
        return lat

    def op_store_owned(self, n):
        return self._timed(n, lambda: self.store.owned("accounts", self.main["sid"], limit=51),
                           lambda d: None)

    def add_timers(self, n: int) -> bool:
        """Schedule ``n`` time-driven steps an hour ahead (never due during the run), if
        this simulator has a scheduler; they make the store hold ``n`` more records."""
        scheduler = getattr(self.sim, "scheduler", None)
        if scheduler is None:
            return False
        for i in range(n):
            scheduler.schedule("bench_never_due", f"BENCH{i}", 3600)
        return True

    def _forget_accounts(self, sids):
        for sid in sids:
            self.store.delete("accounts", sid)
            for tc in self.store.owned("test_credentials", sid):
                self.store.delete("test_credentials", tc["sid"])

    def profile(self, what: str, n: int) -> str:
        prof = cProfile.Profile()
        prof.enable()
        self.batch(what, n)
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(18)
        return out.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, required=True)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    w = Worker(args.records, args.seed)
    print(json.dumps({"records": total_records(w.store), "accounts": len(w.subs) + 1,
                      "fill_seconds": w.fill_seconds}), flush=True)
    for line in sys.stdin:
        cmd = json.loads(line)
        try:
            if cmd["op"] == "add_timers":
                reply = {"added": w.add_timers(cmd["n"])}
            elif cmd["op"] == "profile":
                reply = {"text": w.profile(cmd["what"], cmd["n"])}
            else:
                reply = {"lat_ns": w.batch(cmd["op"], cmd["n"])}
        except Exception as e:  # reported by the parent
            reply = {"error": f"{type(e).__name__}: {e}"}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
