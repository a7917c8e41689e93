"""The TaskRouter engine under random sequences of work (hypothesis, rule-based).

Tasks on two channels, workers changing activity and capacity, reservations accepted,
rejected, wrapped and completed, tasks canceled and the clock advancing (reservation
timeouts, step timeouts, TTLs, purges), all through the domain functions the REST doors
call. After every step the state must keep TaskRouter's promises:

* a worker's reservations holding a channel (pending, accepted, wrapping) never exceed that
  channel's capacity (a capacity lowered below what is already held keeps what is held, but
  nothing new is reserved until the worker is back under it), and the channel's counters
  agree with a recount;
* a task never has two accepted reservations;
* no reservation is created for a worker in an unavailable activity, on an unavailable
  channel, or for a task that has ended;
* the engine's in-memory view of who is free on each channel, and since when (the longest
  idle worker wins), is what the store says;
* a task ends (canceled or completed) at most once, and a task in a final status has exactly
  that one final event;
* the events agree with a recount of the reservations (each reservation's last event is its
  status), and so do the statistics (real-time and cumulative) with this test's own ledger.

Deterministic for CI: ``derandomize=True``, a fixed number of examples, a seeded simulator.
"""
from __future__ import annotations

import json
from collections import Counter

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (RuleBasedStateMachine, initialize, invariant, precondition,
                                 rule)

from simulator.config import Settings
from simulator.domain.taskrouter import (reservations, statistics, task_queues, tasks, workers,
                                         workflows, workspaces)
from simulator.runtime import Simulator

CHANNELS = ("chat", "sms")
ACTIVITIES = ("Available", "Available", "Unavailable", "Offline")   # back to work often
RESERVATION_TIMEOUT = 90     # the workflow's TaskReservationTimeout
STEP_TIMEOUT = 40            # the first routing step's timeout (then the everyone queue)
# the reservation status each reservation event leaves behind
STATUS_AFTER = {"reservation.created": "pending", "reservation.accepted": "accepted",
                "reservation.rejected": "rejected", "reservation.timeout": "timeout",
                "reservation.canceled": "canceled", "reservation.rescinded": "rescinded",
                "reservation.wrapup": "wrapping", "reservation.completed": "completed"}
ACTIVE = ("pending", "accepted", "wrapping")


def pick(items: list, n: int):
    return items[n % len(items)] if items else None


class Engine(RuleBasedStateMachine):
    """One fresh simulator per example: a workspace with a skilled queue (first step,
    40 s) and an everyone queue, and four workers of mixed levels."""

    @initialize(max_reserved=st.sampled_from([2, 1]),
                capacities=st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)),
                                    min_size=4, max_size=4))
    def setup(self, max_reserved, capacities):
        self.s = s = Simulator(Settings(seed=7))
        s.start()
        s.clock.freeze()
        self.began = s.clock.now()
        account = next(a for a in s.store.find("accounts",
                                                lambda a: a["sid"] == a["owner_account_sid"]))
        self.ws = ws = workspaces.new_workspace(s, account["sid"], "Properties")
        self.activity = {a["friendly_name"]: a["sid"]
                         for a in s.store.owned("tr_activities", ws["sid"])}
        self.available = {a["sid"] for a in s.store.owned("tr_activities", ws["sid"])
                          if a["available"]}
        skilled = task_queues.new_task_queue(s, ws, "Skilled", target_workers="level >= 2",
                                             max_reserved_workers=max_reserved)
        everyone = task_queues.new_task_queue(s, ws, "Everyone", target_workers="1==1",
                                              max_reserved_workers=max_reserved)
        config = {"task_routing": {
            "filters": [{"filter_friendly_name": "all", "expression": "1==1",
                         "targets": [{"queue": skilled["sid"], "timeout": STEP_TIMEOUT},
                                     {"queue": everyone["sid"]}]}],
            "default_filter": {"queue": everyone["sid"]}}}
        self.wf = workflows.new_workflow(s, ws, "Route", json.dumps(config),
                                         task_reservation_timeout=RESERVATION_TIMEOUT)
        self.workers = []
        for i, (chat, sms) in enumerate(capacities):
            worker = workers.new_worker(s, ws, f"w{i}", attributes={"level": 1 + i % 3},
                                        activity_sid=self.activity["Available"],
                                        capacities={"chat": (chat, True), "sms": (sms, True)})
            self.workers.append(worker["sid"])
        # (worker, channel) -> what it held when its capacity was last lowered (still allowed)
        self.kept: dict[tuple[str, str], int] = {}
        self.seen_reservations: set[str] = set()
        self.task_sids: list[str] = []

    # -- helpers ---------------------------------------------------------------------------
    def _reservations(self, *statuses) -> list[dict]:
        found = []
        for sid in self.workers:
            found += self.s.store.owned("tr_reservations", sid,
                                        where=lambda r: r["reservation_status"] in statuses)
        return sorted(found, key=lambda r: r["sid"])

    def _tasks(self, *statuses) -> list[dict]:
        return self.s.store.owned("tr_tasks", self.ws["sid"],
                                  where=lambda t: t["assignment_status"] in statuses)

    def _channel(self, worker_sid: str, name: str) -> dict:
        return workers.worker_channel_of(self.s, worker_sid, name)

    # -- rules -----------------------------------------------------------------------------
    @rule(channel=st.sampled_from(CHANNELS), priority=st.integers(0, 3),
          ttl=st.sampled_from([30, 200, 86_400]))
    def create_task(self, channel, priority, ttl):
        task = tasks.create_task(self.s, self.ws, attributes=json.dumps({"n": len(self.task_sids)}),
                                 priority=priority, timeout=ttl, task_channel=channel,
                                 workflow_sid=self.wf["sid"])
        self.task_sids.append(task["sid"])

    @rule(n=st.integers(0, 3), activity=st.sampled_from(ACTIVITIES))
    def change_activity(self, n, activity):
        worker = self.s.store.get("tr_workers", pick(self.workers, n))
        workers.update_worker(self.s, worker, activity_sid=self.activity[activity])

    @rule(n=st.integers(0, 3), channel=st.sampled_from(CHANNELS), capacity=st.integers(0, 3))
    def change_capacity(self, n, channel, capacity):
        sid = pick(self.workers, n)
        wc = self._channel(sid, channel)
        held = sum(1 for r in self._reservations(*ACTIVE)
                   if r["worker_sid"] == sid and r["task_channel_unique_name"] == channel)
        self.kept[sid, channel] = held
        workers.update_worker_channel(self.s, wc, {"configured_capacity": capacity})

    @rule(n=st.integers(0, 3), channel=st.sampled_from(CHANNELS), on=st.booleans())
    def change_channel_availability(self, n, channel, on):
        wc = self._channel(pick(self.workers, n), channel)
        workers.update_worker_channel(self.s, wc, {"available": on})

    @precondition(lambda self: self._reservations("pending"))
    @rule(n=st.integers(0, 1000))
    def accept(self, n):
        r = pick(self._reservations("pending"), n)
        if r is not None:
            reservations.update_reservation(self.s, r, "accepted")

    @precondition(lambda self: self._reservations("pending"))
    @rule(n=st.integers(0, 1000), to=st.sampled_from([None, "Available", "Offline"]))
    def reject(self, n, to):
        r = pick(self._reservations("pending"), n)
        if r is not None:
            reservations.update_reservation(self.s, r, "rejected",
                                            worker_activity_sid=self.activity.get(to))

    @precondition(lambda self: self._reservations("accepted"))
    @rule(n=st.integers(0, 1000))
    def wrap(self, n):
        r = pick(self._reservations("accepted"), n)
        if r is not None:
            reservations.update_reservation(self.s, r, "wrapping")

    @precondition(lambda self: self._reservations("accepted", "wrapping"))
    @rule(n=st.integers(0, 1000), via_task=st.booleans())
    def complete(self, n, via_task):
        r = pick(self._reservations("accepted", "wrapping"), n)
        if r is None:
            return
        if via_task:
            task = self.s.store.get("tr_tasks", r["task_sid"])
            tasks.update_task(self.s, task, assignment_status="completed", reason="done")
        else:
            reservations.update_reservation(self.s, r, "completed")

    @precondition(lambda self: self._tasks("pending", "reserved"))
    @rule(n=st.integers(0, 1000))
    def cancel_task(self, n):
        task = pick(sorted(self._tasks("pending", "reserved"), key=lambda t: t["sid"]), n)
        if task is not None:
            tasks.update_task(self.s, task, assignment_status="canceled", reason="gave up")

    @rule(seconds=st.sampled_from([1, 15, 45, 100, 120]))
    def advance(self, seconds):
        self.s.clock.advance(seconds)

    # -- invariants ------------------------------------------------------------------------
    @invariant()
    def capacity_is_never_exceeded(self):
        held = Counter((r["worker_sid"], r["task_channel_unique_name"], r["reservation_status"])
                       for r in self._reservations(*ACTIVE))
        for sid in self.workers:
            for name in CHANNELS:
                wc = self._channel(sid, name)
                pending = held[sid, name, "pending"]
                assigned = held[sid, name, "accepted"] + held[sid, name, "wrapping"]
                total = pending + assigned
                kept = min(self.kept.get((sid, name), 0), total)   # only ever shrinks
                self.kept[sid, name] = kept
                assert total <= max(wc["configured_capacity"], kept), (sid, name, total, wc)
                assert wc.get("reserved_tasks", 0) == pending, (sid, name, wc, pending)
                assert wc["assigned_tasks"] == assigned, (sid, name, wc, assigned)

    @invariant()
    def the_routing_index_agrees_with_the_store(self):
        """Who the engine thinks is free on each channel, and since when, is what the
        workers' records say (the longest idle worker is chosen from it)."""
        index = self.s.routing.of(self.s, self.ws["sid"])
        for name in CHANNELS:
            free = {}
            for sid in self.workers:
                worker = self.s.store.get("tr_workers", sid)
                wc = self._channel(sid, name)
                held = wc.get("reserved_tasks", 0) + wc["assigned_tasks"]
                if (worker["activity_sid"] in self.available and wc["available"]
                        and held < wc["configured_capacity"]):
                    free[sid] = worker.get("idle_since") or worker["date_created"]
            indexed = {sid: since for sid, (since, _) in index.free.get(name, {}).items()}
            assert indexed == free, (name, indexed, free)

    @invariant()
    def one_accepted_reservation_per_task(self):
        taken = Counter(r["task_sid"] for r in self._reservations("accepted", "wrapping",
                                                                   "completed"))
        assert all(n == 1 for n in taken.values()), taken

    @invariant()
    def new_reservations_go_to_free_workers_for_waiting_tasks(self):
        for r in self._reservations(*STATUS_AFTER.values()):
            if r["sid"] in self.seen_reservations:
                continue
            self.seen_reservations.add(r["sid"])
            assert r["worker_previous_activity_sid"] in self.available, r
            # only this test turns a channel off or on, one step at a time
            assert self._channel(r["worker_sid"], r["task_channel_unique_name"])["available"], r

    @invariant()
    def a_task_ends_once(self):
        events = self.s.store.owned("tr_events", self.ws["sid"])
        ends = Counter(e["resource_sid"] for e in events
                       if e["event_type"] in ("task.canceled", "task.completed"))
        assert all(n == 1 for n in ends.values()), ends
        ended_at = {}
        for i, e in enumerate(events):
            if e["event_type"] in ("task.canceled", "task.completed"):
                ended_at[e["resource_sid"]] = i
        for i, e in enumerate(events):   # nothing is offered once a task has ended
            task_sid = e["event_data"].get("task_sid")
            if e["event_type"] == "reservation.created" and task_sid in ended_at:
                assert i < ended_at[task_sid], e
        for task in self._tasks("canceled", "completed"):
            assert ends[task["sid"]] == 1, task
        for task in self._tasks("pending", "reserved", "assigned", "wrapping"):
            assert ends[task["sid"]] == 0, task

    @invariant()
    def events_agree_with_the_reservations(self):
        last = {}
        for e in self.s.store.owned("tr_events", self.ws["sid"]):
            if e["event_type"] in STATUS_AFTER:
                last[e["resource_sid"]] = STATUS_AFTER[e["event_type"]]
        for r in self._reservations(*STATUS_AFTER.values()):
            assert last.get(r["sid"]) == r["reservation_status"], (r, last.get(r["sid"]))
        for task in self._tasks("pending", "reserved", "assigned", "wrapping"):
            pending = [r for r in self._reservations("pending") if r["task_sid"] == task["sid"]]
            taken = [r for r in self._reservations("accepted", "wrapping")
                     if r["task_sid"] == task["sid"]]
            expected = {"pending": (0, 0), "reserved": (1, 0)}.get(task["assignment_status"])
            if expected is not None:
                assert (min(len(pending), 1), len(taken)) == expected, (task, pending, taken)
            else:
                assert not pending and len(taken) == 1, (task, pending, taken)

    @invariant()
    def statistics_agree_with_a_recount(self):
        """The statistics (counted from the events) against this test's own ledger of what
        it saw after each step: every reservation and task SID with its latest status. No
        step is long enough for a task to end and be purged (5 minutes) within it."""
        if not hasattr(self, "s"):
            return
        ledger = self.__dict__.setdefault("ledger", {})
        for r in self._reservations(*STATUS_AFTER.values()):
            ledger[r["sid"]] = r["reservation_status"]
        ended = self.__dict__.setdefault("ended", {})
        live = self._tasks("pending", "reserved", "assigned", "wrapping")
        for task in self._tasks("canceled", "completed"):
            ended[task["sid"]] = task["assignment_status"]
        realtime = statistics.workspace_realtime(self.s, self.ws)
        statuses = Counter(t["assignment_status"] for t in live)
        assert realtime["tasks_by_status"] == {status: statuses[status] for status in
                                               ("pending", "reserved", "assigned", "wrapping")}
        assert realtime["total_tasks"] == len(live)
        assert realtime["tasks_by_priority"] == {
            str(p): n for p, n in sorted(Counter(t["priority"] for t in live).items())}
        cumulative = statistics.workspace_cumulative(self.s, self.ws, self.began,
                                                     self.s.clock.now())
        outcomes = Counter(ledger.values())
        assert cumulative["reservations_created"] == len(ledger)
        assert cumulative["reservations_accepted"] == (
            outcomes["accepted"] + outcomes["wrapping"] + outcomes["completed"])
        assert cumulative["reservations_rejected"] == outcomes["rejected"]
        assert cumulative["reservations_timed_out"] == outcomes["timeout"]
        assert cumulative["reservations_canceled"] == outcomes["canceled"]
        assert cumulative["reservations_rescinded"] == outcomes["rescinded"]
        finals = Counter(ended.values())
        assert cumulative["tasks_created"] == len(self.task_sids)
        assert cumulative["tasks_canceled"] == finals["canceled"]
        assert cumulative["tasks_completed"] == finals["completed"]
        per_worker = statistics.workers_cumulative(self.s, self.ws["sid"], self.began,
                                                   self.s.clock.now())
        assert per_worker["reservations_created"] == len(ledger)
        assert per_worker["reservations_accepted"] == cumulative["reservations_accepted"]


Engine.TestCase.settings = settings(
    derandomize=True, max_examples=100, stateful_step_count=50, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
test_engine_keeps_its_promises = Engine.TestCase
