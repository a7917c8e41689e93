"""studio.twilio.com/v2: Flows (the simulator runs their Send to Flex widget)."""
from __future__ import annotations

from ...hosts import public_url
from .. import product

bp = product("studio", "v2")


def url(path: str) -> str:
    return public_url("studio", f"/v2{path}")
