"""What a Flex user does to their own worker from the Agent Desktop."""
from __future__ import annotations

from ...errors import TwilioError
from ..taskrouter.activities import activities_of
from ..taskrouter.workers import update_worker


def worker_of_user(s, user: dict) -> dict | None:
    """The Flex user's TaskRouter worker (None once deleted)."""
    return s.store.get("tr_workers", user["worker_sid"])


def set_own_activity(s, user: dict, wanted) -> dict:
    """The status menu: the user's worker moves to the activity named by ``wanted``
    (its SID or friendly name). Not an instance change, so every role may do it."""
    activity = next((a for a in activities_of(s, user["workspace_sid"])
                     if wanted in (a["sid"], a["friendly_name"])), None)
    if activity is None:
        raise TwilioError.invalid("activity", f"{wanted!r} is not an activity of this workspace")
    worker = s.store.require("tr_workers", user["worker_sid"])
    return update_worker(s, worker, activity_sid=activity["sid"])
