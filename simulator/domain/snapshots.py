"""The whole state as one document: what GET /_sim/v1/snapshot returns and PUT restores."""
from __future__ import annotations

from ..errors import TwilioError

FORMAT = 1


def snapshot(s) -> dict:
    return {"format": FORMAT, "tables": s.store.dump()}


def restore(s, data: dict) -> int:
    """Replace the whole state with a snapshot; returns how many records it holds."""
    tables = data.get("tables")
    if data.get("format") != FORMAT or not isinstance(tables, dict) or not all(
            isinstance(t, dict) and all(isinstance(d, dict) for d in t.values())
            for t in tables.values()):
        raise TwilioError(20422, "A snapshot is {\"format\": 1, \"tables\": {name: {sid: record}}} "
                               "as GET /_sim/v1/snapshot returns it")
    s.load_snapshot(tables)
    return sum(len(t) for t in tables.values())
