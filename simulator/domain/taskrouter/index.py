"""What the engine asks on every routing decision, answered without scanning the workspace.

Per workspace, kept in memory beside the store (built from it on first use, dropped on reset,
snapshot restore and changes to the workspace's shape): the workers free on each task
channel (an available activity and capacity left), ordered by how long they have been idle;
the workers each queue's ``TargetWorkers`` selects; and the pending tasks waiting in each
queue, in the queue's order. A task created when everyone is busy costs the same with 100 or
10,000 tasks waiting, and a worker who frees up looks at the head of each queue it serves.
"""
from __future__ import annotations

import heapq
import itertools
import json

from ...dates import parse_iso
from ...rules import taskrouter as rules


class QueueWaiting:
    """The pending tasks of one queue: highest priority, then oldest first (FIFO), or newest
    first whatever the priority (LIFO). Entries are replaced, not updated: a stale entry is
    skipped when it reaches the top."""

    def __init__(self, order: str):
        self.order = order
        self._heap: list = []
        self._keys: dict[str, tuple] = {}
        self._seq = itertools.count()

    def key(self, task: dict) -> tuple:
        # age is the virtual start time; tasks of the same second keep their creation order
        started = parse_iso(task["virtual_start_time"]).timestamp()
        created = task.get("created_ns", 0)
        if self.order == "LIFO":
            return (-started, -created)
        return (-task["priority"], started, created)

    def push(self, task: dict):
        key = (*self.key(task), next(self._seq))
        self._keys[task["sid"]] = key
        heapq.heappush(self._heap, (key, task["sid"]))

    def drop(self, task_sid: str):
        self._keys.pop(task_sid, None)

    def __contains__(self, task_sid: str) -> bool:
        return task_sid in self._keys

    def __len__(self) -> int:
        return len(self._keys)

    def in_order(self):
        """Waiting task SIDs, best first (stale heap entries are pruned from the top)."""
        heap = self._heap
        while heap and self._keys.get(heap[0][1]) != heap[0][0]:
            heapq.heappop(heap)
        if not heap:
            return
        yield heap[0][1]
        for key, sid in sorted(heap[1:]):
            if self._keys.get(sid) == key:
                yield sid

    def head(self) -> tuple | None:
        for sid in self.in_order():
            return self._keys[sid], sid
        return None


class WorkspaceIndex:
    def __init__(self, s, ws: dict):
        self.sid = ws["sid"]
        self.multi_task = ws["multi_task_enabled"]
        self.available_activities = {a["sid"] for a in s.store.owned("tr_activities", ws["sid"])
                                     if a["available"]}
        self.queues = {q["sid"]: q for q in s.store.owned("tr_task_queues", ws["sid"])}
        self._waiting: dict[tuple[str, str], QueueWaiting] = {}
        self.direct: dict[str, dict[str, None]] = {}   # worker -> tasks routed straight to it
        self._eligible: dict[str, set[str]] = {}
        self.attributes: dict[str, dict] = {}
        self._seq: dict[str, int] = {}
        self.free: dict[str, dict[str, tuple]] = {}
        self._by_idle: dict[str, list] = {}   # channel -> heap of (idle key, worker); stale ones skipped
        for worker in s.store.owned("tr_workers", ws["sid"]):
            self.refresh_worker(s, worker)
        for task in s.store.owned("tr_tasks", ws["sid"],
                                  where=lambda t: t["assignment_status"] == "pending"):
            self.wait(task)

    # -- tasks ---------------------------------------------------------------------------------
    def waiting(self, queue_sid: str, channel: str) -> QueueWaiting:
        """A queue's pending tasks of one task channel (a worker free on a channel only ever
        takes that channel's tasks)."""
        key = (queue_sid, channel)
        found = self._waiting.get(key)
        if found is None:
            found = self._waiting[key] = QueueWaiting(self.queues[queue_sid]["task_order"])
        return found

    def wait(self, task: dict):
        """A pending task waits in its step's queue, or for the worker it is routed to."""
        step = (task.get("routing") or {}).get("step", -1)
        steps = (task.get("routing") or {}).get("steps", [])
        target = steps[step] if 0 <= step < len(steps) else {}
        if "worker" in target:
            self.direct.setdefault(target["worker"], {})[task["sid"]] = None
        elif task["task_queue_sid"] in self.queues:
            self.waiting(task["task_queue_sid"], task["task_channel_unique_name"]).push(task)

    def unwait(self, task: dict):
        for tasks in self.direct.values():
            tasks.pop(task["sid"], None)
        if task["task_queue_sid"] in self.queues:
            self.waiting(task["task_queue_sid"], task["task_channel_unique_name"]).drop(task["sid"])

    # -- workers -----------------------------------------------------------------------------
    def refresh_worker(self, s, worker: dict):
        """Recompute where a worker is free after its activity, attributes, channels or
        reservations changed."""
        sid = worker["sid"]
        if sid not in self._seq:
            self._seq[sid] = len(self._seq)
        attributes = json.loads(worker["attributes"])
        if self.attributes.get(sid) != attributes:
            self.attributes[sid] = attributes
            for queue_sid, members in self._eligible.items():
                members.discard(sid)
                if rules.matches_target(self.queues[queue_sid]["target_workers"], attributes):
                    members.add(sid)
        idle = (worker.get("idle_since") or worker["date_created"], self._seq[sid])
        available = worker["activity_sid"] in self.available_activities
        channels = s.store.owned("tr_worker_channels", sid)
        busy_anywhere = any(active(c) for c in channels)
        for channel in channels:
            name = channel["task_channel_unique_name"]
            if self.multi_task:
                free = (available and channel["available"]
                        and active(channel) < channel["configured_capacity"])
            else:   # single-tasking: one task at a time across every channel
                free = available and not busy_anywhere
            bucket = self.free.setdefault(name, {})
            if free:
                if bucket.get(sid) != idle:
                    self._push_idle(name, idle, sid)
                bucket[sid] = idle
            else:
                bucket.pop(sid, None)

    def forget_worker(self, sid: str):
        for bucket in self.free.values():
            bucket.pop(sid, None)
        for members in self._eligible.values():
            members.discard(sid)
        self.attributes.pop(sid, None)

    def eligible(self, queue_sid: str) -> set[str]:
        """The workers the queue's TargetWorkers selects, whatever their activity."""
        members = self._eligible.get(queue_sid)
        if members is None:
            target = self.queues[queue_sid]["target_workers"]
            members = {sid for sid, attrs in self.attributes.items()
                       if rules.matches_target(target, attrs)}
            self._eligible[queue_sid] = members
        return members

    def _push_idle(self, channel: str, idle: tuple, sid: str):
        heap = self._by_idle.setdefault(channel, [])
        heapq.heappush(heap, (idle, sid))
        if len(heap) > 2 * len(self.free.get(channel, {})) + 64:   # drop stale entries
            heap[:] = [(key, w) for w, key in self.free.get(channel, {}).items()]
            heapq.heapify(heap)

    def free_in_queue(self, queue_sid: str, channel: str, accept=None,
                      limit: int | None = None) -> list[str]:
        """Workers of the queue free on the channel that ``accept`` takes, longest idle first,
        looking no further than ``limit`` of them: the first free worker usually qualifies."""
        free = self.free.get(channel, {})
        members = self.eligible(queue_sid)
        heap = self._by_idle.get(channel, [])
        found, seen, looked = [], [], set()
        while heap and (limit is None or len(found) < limit):
            idle, sid = heapq.heappop(heap)
            if free.get(sid) != idle or sid in looked:
                continue   # stale: the worker is busy now, or idle since a later time
            looked.add(sid)
            seen.append((idle, sid))
            if sid in members and (accept is None or accept(sid)):
                found.append(sid)
        for entry in seen:
            heapq.heappush(heap, entry)
        return found

    def queues_of(self, worker_sid: str) -> list[str]:
        return [q for q in self.queues if worker_sid in self.eligible(q)]


def active(channel: dict) -> int:
    """Reservations holding a worker channel's capacity: pending, accepted or wrapping."""
    return channel.get("reserved_tasks", 0) + channel["assigned_tasks"]


class RoutingIndex:
    """The workspaces' indexes of one Simulator."""

    def __init__(self):
        self._workspaces: dict[str, WorkspaceIndex] = {}

    def of(self, s, workspace_sid: str) -> WorkspaceIndex:
        index = self._workspaces.get(workspace_sid)
        if index is None:
            ws = s.store.require("tr_workspaces", workspace_sid)
            index = self._workspaces[workspace_sid] = WorkspaceIndex(s, ws)
        return index

    def forget(self, workspace_sid: str):
        """The workspace's shape changed (queues, activities, channels): rebuild on next use."""
        self._workspaces.pop(workspace_sid, None)

    def clear(self):
        self._workspaces.clear()
