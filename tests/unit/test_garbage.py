"""The garbage collector of a serving process: after ``freeze_after_full_collections``, a full
collection walks only what was made since the last one, never the stored records (it stalled
every request for the length of a walk through the whole state), and still collects new
garbage. Each case runs in a child interpreter, so this test process's collector is untouched."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import gc, json, sys, weakref
from datetime import datetime, timezone
from simulator import garbage
from simulator.config import Settings
from simulator.domain import messages
from simulator.runtime import Simulator

policy = sys.argv[1] == "policy"
sim = Simulator(Settings(seed=3, freeze_clock=True))
sim.start()
sim.clock.freeze(datetime(2030, 1, 15, 10, tzinfo=timezone.utc))
main = next(a for a in sim.store.find("accounts", lambda a: a["sid"] == a["owner_account_sid"]))

def send(n):
    for i in range(n):
        messages.send(sim, main, to="+14155550199", from_="+14155550100", service_sid=None,
                      body=f"m{i}", media_urls=[])

send(500)                   # the state the process was serving when the policy began
if policy:
    garbage.freeze_after_full_collections()
send(500)                   # and what came after: new records, and the old ones replaced
sim.clock.advance(10)       # every message delivered (each record replaced three times)
gc.collect()                # a full collection, as the collector runs one under load
walked = {id(o) for o in gc.get_objects()}   # what the next full collection walks
stored = list(sim.store._table("messages").raw().values())

class Node:
    pass
a, b = Node(), Node()
a.other, b.other = b, a     # a reference cycle, dropped: only the collector frees it
gone = weakref.ref(a)
del a, b
gc.collect()
print(json.dumps({"stored": len(stored), "walked": sum(id(d) in walked for d in stored),
                  "history": [h["status"] for h in stored[-1]["status_history"]],
                  "cycle_collected": gone() is None}))
sim.close()
"""


def _child(mode: str) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, mode], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_a_full_collection_walks_none_of_the_stored_records():
    got = _child("policy")
    assert got["stored"] == 1000
    assert got["history"] == ["queued", "sending", "sent", "delivered"]
    assert got["walked"] == 0


def test_without_the_policy_every_stored_record_is_walked():
    """The control: a message record (it holds a list) is walked by every full collection."""
    got = _child("none")
    assert got["stored"] == 1000
    assert got["walked"] == 1000


def test_garbage_made_after_the_policy_is_still_collected():
    assert _child("policy")["cycle_collected"] is True
