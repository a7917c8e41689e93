"""The TaskRouter engine's cost per operation with 100 vs 10,000 tasks waiting.

Parent side: ``engine_part(args, Child)``, called by ``python -m bench``. Child side:

    python -m bench.engine --workers 1000 --pending 10000

builds one simulator (in memory, frozen clock) with a workspace of ``--workers`` workers and
``--pending`` tasks waiting, prints one JSON line ({"pending": ..., "fill_seconds": ...}), then
answers JSON commands on stdin, one per line:

    {"op": "cycle", "n": 50}   ->  {"create_assign": [ns...], "accept": [...], ...}
    {"op": "profile", "n": 200, "what": "create_assign"}  ->  {"text": "<cProfile>"}
    {"op": "check"}            ->  {"pending": ..., "assigned_voice": ..., "workers": ...}

The workspace: one queue for everyone (``1==1``) and a workflow to it. Every worker has
``voice`` capacity 1 and already holds one accepted voice task, so the ``--pending`` voice
tasks wait in the queue (the backlog); ``chat`` has capacity 2 and is free. One cycle, through
the domain functions the REST doors call (each inside its routing change, as over REST):

1. ``create_assign``: a chat task is created and reserved at once (longest idle free worker);
2. ``accept``: that reservation is accepted (then completed, untimed, to keep the state);
3. ``create_waiting``: a voice task is created while every worker is busy on voice: it waits
   (the backlog grows by one);
4. ``complete_next``: a worker completes its oldest voice task and is reserved the head of the
   backlog (the backlog is back to ``--pending``);
5. ``accept_next``: that reservation is accepted.

So the backlog stays at ``--pending`` tasks from cycle to cycle, and each size runs in its own
process so that one size's heap does not slow the other's measurements.
"""
from __future__ import annotations

import argparse
import cProfile
import collections
import gc
import io
import json
import pstats
import sys
import time

from simulator.config import Settings
from simulator.domain.taskrouter import reservations, task_queues, tasks, workers, workflows
from simulator.domain.taskrouter import workspaces
from simulator.rules import taskrouter as rules
from simulator.runtime import Simulator

from .stats import median, ms, pct, ratio, table

ENGINE_GOAL = 1.5    # p50(10,000 waiting) / p50(100 waiting) <= this, for every operation
OPS = ("create_assign", "accept", "create_waiting", "complete_next", "accept_next")
LABELS = {"create_assign": "task create + its reservation (chat, workers free)",
          "accept": "reservation accept (chat)",
          "create_waiting": "task create, every worker busy (voice: waits)",
          "complete_next": "complete; the worker takes the backlog's head",
          "accept_next": "reservation accept (voice, from the backlog)"}


# -- child: one simulator, measured on command ---------------------------------------------------
class Engine:
    def __init__(self, n_workers: int, pending: int, seed: int):
        t0 = time.perf_counter()
        self.seq = 0
        self.s = s = Simulator(Settings(seed=seed))
        s.start()
        s.clock.freeze()
        account = next(a for a in s.store.find("accounts",
                                                lambda a: a["sid"] == a["owner_account_sid"]))
        self.ws = ws = workspaces.new_workspace(s, account["sid"], "Bench")
        available = next(a["sid"] for a in s.store.owned("tr_activities", ws["sid"])
                         if a["friendly_name"] == "Available")
        queue = task_queues.new_task_queue(s, ws, "Everyone", target_workers="1==1")
        self.workflow = workflows.new_workflow(s, ws, "Route",
                                               rules.queue_configuration(queue["sid"]))
        for i in range(n_workers):
            workers.new_worker(s, ws, f"agent {i}", attributes={"level": i % 5},
                               activity_sid=available,
                               capacities={"chat": (2, True), "voice": (1, True)})
        self.busy = collections.deque()   # accepted voice reservations, oldest first
        for _ in range(n_workers):        # everyone busy on voice
            task = self._create("voice")
            self.busy.append(self._accept(self._pending(task)))
        for _ in range(pending):          # the backlog
            task = self._create("voice")
            assert task["assignment_status"] == "pending", task
        self.n_workers = n_workers
        self.fill_seconds = time.perf_counter() - t0
        gc.collect()   # start both sizes from a collected heap (untimed)

    # -- the engine's operations ------------------------------------------------------------
    def _create(self, channel: str) -> dict:
        self.seq += 1
        return tasks.create_task(self.s, self.ws, attributes=json.dumps({"n": self.seq}),
                                 task_channel=channel, workflow_sid=self.workflow["sid"])

    def _pending(self, task: dict) -> dict:
        found = reservations.reservations_of_task(self.s, task, "pending")
        if len(found) != 1:
            raise RuntimeError(f"task {task['sid']} has {len(found)} pending reservations")
        return found[0]

    def _accept(self, reservation: dict) -> dict:
        return reservations.update_reservation(self.s, reservation, "accepted")

    def cycle(self, n: int) -> dict[str, list[int]]:
        clock = time.perf_counter_ns
        out: dict[str, list[int]] = {op: [] for op in OPS}
        for _ in range(n):
            t0 = clock()
            task = self._create("chat")
            t1 = clock()
            reservation = self._pending(task)
            t2 = clock()
            accepted = self._accept(reservation)
            t3 = clock()
            reservations.update_reservation(self.s, accepted, "completed")
            t4 = clock()
            waiting = self._create("voice")
            t5 = clock()
            if waiting["assignment_status"] != "pending":
                raise RuntimeError("a voice task was reserved while every worker was busy")
            done = self.s.store.get("tr_reservations", self.busy.popleft()["sid"])
            t6 = clock()
            reservations.update_reservation(self.s, done, "completed")
            t7 = clock()
            nxt = reservations.reservations_of_worker(self.s, done["worker_sid"], "pending")(
                None, 0, None)
            if len(nxt) != 1:
                raise RuntimeError(f"the freed worker got {len(nxt)} reservations, not 1")
            t8 = clock()
            self.busy.append(self._accept(nxt[0]))
            t9 = clock()
            out["create_assign"].append(t1 - t0)
            out["accept"].append(t3 - t2)
            out["create_waiting"].append(t5 - t4)
            out["complete_next"].append(t7 - t6)
            out["accept_next"].append(t9 - t8)
        return out

    def check(self) -> dict:
        live = collections.Counter(
            (t["task_channel_unique_name"], t["assignment_status"])
            for t in self.s.store.owned("tr_tasks", self.ws["sid"],
                                        where=lambda t: t["assignment_status"] not in
                                        rules.TASK_FINAL))
        return {"pending": live["voice", "pending"], "assigned_voice": live["voice", "assigned"],
                "workers": self.n_workers}

    def profile(self, what: str, n: int) -> str:
        prof = cProfile.Profile()
        prof.enable()
        self.cycle(n)
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(18)
        return f"(a whole cycle, slow op: {what})\n" + out.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=1000)
    parser.add_argument("--pending", type=int, required=True)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    engine = Engine(args.workers, args.pending, args.seed)
    print(json.dumps({**engine.check(), "fill_seconds": engine.fill_seconds}), flush=True)
    for line in sys.stdin:
        cmd = json.loads(line)
        try:
            if cmd["op"] == "cycle":
                reply = engine.cycle(cmd["n"])
            elif cmd["op"] == "profile":
                reply = {"text": engine.profile(cmd["what"], cmd["n"])}
            elif cmd["op"] == "check":
                reply = engine.check()
            else:
                reply = {"error": f"unknown op {cmd['op']!r}"}
        except Exception as e:  # reported by the parent
            reply = {"error": f"{type(e).__name__}: {e}"}
        print(json.dumps(reply), flush=True)


# -- parent: both sizes side by side --------------------------------------------------------------
def engine_part(args, child_class) -> tuple[list[str], bool, dict]:
    """Run the two sizes in two child processes (``child_class`` is bench's ``Child``),
    alternating their batches; return the verdict lines, whether every goal passed, and
    cProfile texts (for failing goals, or all with ``--profile``)."""
    sizes = {"small": args.engine_small, "large": args.engine_large}
    print(f"\n[3/3] TaskRouter engine: {args.engine_workers:,} workers, {args.engine_small:,} vs "
          f"{args.engine_large:,} tasks waiting, {args.engine_rounds} rounds x "
          f"{args.engine_batch} cycles ...", flush=True)
    kids = {k: child_class("bench.engine", "--workers", str(args.engine_workers),
                           "--pending", str(n)) for k, n in sizes.items()}
    try:
        ready = {k: kid.recv() for k, kid in kids.items()}
        for k, r in ready.items():
            print(f"  {k}: {r['workers']:,} workers (each busy on voice), {r['pending']:,} voice "
                  f"tasks waiting, built in {r['fill_seconds']:.1f}s", flush=True)
        for kid in kids.values():   # warm-up, discarded
            kid.ask({"op": "cycle", "n": max(5, args.engine_batch // 5)})
        lat = {(k, op): [] for k in sizes for op in OPS}
        round_ratios = {op: [] for op in OPS}
        for rnd in range(args.engine_rounds):
            order = list(sizes) if rnd % 2 == 0 else list(sizes)[::-1]
            got = {k: kids[k].ask({"op": "cycle", "n": args.engine_batch}) for k in order}
            for op in OPS:
                for k in sizes:
                    lat[k, op] += got[k][op]
                round_ratios[op].append(ratio(pct(got["large"][op], 50),
                                              pct(got["small"][op], 50)))
        after = {k: kid.ask({"op": "check"}) for k, kid in kids.items()}
        for k, r in after.items():
            if r["pending"] != ready[k]["pending"]:
                raise RuntimeError(f"{k}: the backlog drifted from {ready[k]['pending']} to "
                                   f"{r['pending']} tasks")
        rows, results = [], {}
        for op in OPS:
            small, large = lat["small", op], lat["large", op]
            r50 = median(round_ratios[op])
            r99 = ratio(pct(large, 99), pct(small, 99))
            results[op] = r50, r99
            rows.append([LABELS[op],
                         ms(pct(small, 50)), ms(pct(large, 50)), f"{r50:.2f}",
                         ms(pct(small, 99)), ms(pct(large, 99)), f"{r99:.2f}"])
        n1, n2 = f"{args.engine_small:,}", f"{args.engine_large:,}"
        print()
        print(table(["operation (domain call, in its routing change)", f"p50 ms {n1}",
                     f"p50 ms {n2}", "p50 ratio", f"p99 ms {n1}", f"p99 ms {n2}", "p99 ratio"],
                    rows, title=f"TaskRouter engine with {n1} vs {n2} tasks waiting "
                                f"({args.engine_workers:,} workers; the backlog is kept at its "
                                f"size).\np50 ratio = median over rounds of p50(large batch) / "
                                f"p50(small batch); p99 ratio over all samples (not a goal: "
                                f"a large heap's\ngarbage collections and the shared machine "
                                f"show there)."))
        lines, all_ok = [], True
        for op in OPS:
            r50, r99 = results[op]
            ok = r50 <= ENGINE_GOAL
            all_ok &= ok
            lines.append(f"{'PASS' if ok else 'FAIL'}  goal 3: {op:14} p50 {n2}/{n1} waiting = "
                         f"{r50:.2f}x (goal <= {ENGINE_GOAL}x; p99 ratio {r99:.2f}x, not a goal)")
        profiles = {}
        failing = [op for op in OPS if results[op][0] > ENGINE_GOAL]
        if args.profile or failing:
            for op in failing or ["create_assign"]:
                profiles[f"engine {op}"] = kids["large"].ask(
                    {"op": "profile", "what": op, "n": args.engine_batch})["text"]
        return lines, all_ok, profiles
    finally:
        for kid in kids.values():
            kid.close()


if __name__ == "__main__":
    main()
