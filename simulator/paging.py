"""A list computed in Twilio's order, paged like the store's own lists.

Page tokens are ``PA`` + the last SID of the previous page (``wire`` makes the envelopes);
a token whose record left the list falls back to the page's position.
"""
from __future__ import annotations

from typing import Callable

# fetch(after_sid, skip, limit) -> records in Twilio's order for this list
Fetch = Callable[[str | None, int, int], list]


def in_order(records: list[dict]) -> Fetch:
    """The ``fetch`` over records already in Twilio's order."""
    def fetch(after, skip, limit):
        if after is not None:
            sids = [r["sid"] for r in records]
            skip = sids.index(after) + 1 if after in sids else skip
        return records[skip:skip + limit]
    return fetch
