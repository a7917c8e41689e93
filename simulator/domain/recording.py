"""Recording: what a served simulator answered, kept to be turned into a scenario.

A recording lives in memory beside its Simulator (not in the store: a reset during the
recorded run must not erase it). Each entry is one request and its response as the doors
saw them; ``scenarios/recorder.py`` turns them into a scenario file.
"""
from __future__ import annotations

import threading
import weakref

from .accounts import all_credentials

MAX_ENTRIES = 20_000
_recordings: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def start(s, name: str | None = None) -> dict:
    """Start (or restart) recording; remembers the credentials, seed and fixtures it starts
    from, so the recorded file can name them."""
    recording = {"name": name, "started_at": s.now(), "seed": s.settings.seed,
                 "fixtures": s.settings.fixtures, "credentials": all_credentials(s),
                 "entries": [], "dropped": 0}
    with _lock:
        _recordings[s] = recording
    return summary(recording)


def active(s) -> dict | None:
    return _recordings.get(s)


def add(s, entry: dict):
    with _lock:
        recording = _recordings.get(s)
        if recording is None:
            return
        if len(recording["entries"]) >= MAX_ENTRIES:
            recording["dropped"] += 1
        else:
            recording["entries"].append(entry)


def stop(s) -> dict | None:
    with _lock:
        return _recordings.pop(s, None)


def snapshot(s) -> dict | None:
    """A copy of the running recording (its entries so far)."""
    with _lock:
        recording = _recordings.get(s)
        return None if recording is None else {**recording,
                                               "entries": list(recording["entries"])}


def summary(recording: dict) -> dict:
    return {"recording": True, "name": recording["name"], "started_at": recording["started_at"],
            "requests": len(recording["entries"]), "not_kept": recording["dropped"]}
