"""conversations.twilio.com/v1: the account's Conversations (its default service's),
participants, messages and delivery receipts, scoped webhooks, the configuration and its
address configurations, and the Conversation Services."""
from __future__ import annotations

from ...auth import principal
from ...current import sim
from ...dates import iso, parse_param
from ...domain.conversations.core import conversation_of
from ...hosts import public_url
from ...wire import params, text
from .. import product

bp = product("conversations", "v1")


def url(path: str) -> str:
    return public_url("conversations", f"/v1{path}")


def conversation_param(sid: str) -> dict:
    """The conversation in the path (SID or unique name) of the principal's default service."""
    return conversation_of(sim(), principal().account_sid, sid)


def date(name: str) -> str | None:
    """An ISO 8601 date-time parameter, as the store keeps dates."""
    value = text(name)
    if value is None:
        return None
    return iso(parse_param(value, name))


def values(name: str) -> list[str] | None:
    """A repeated parameter (``Configuration.Filters=a&Configuration.Filters=b``)."""
    found = params().getlist(name)
    return found or None
