"""Timestamps as the store keeps them (ISO 8601, UTC) and as Twilio's dialects show them.

v1/v2 products show the stored ISO 8601 form; the 2010 API shows RFC 2822
(``Thu, 30 Jul 2015 20:00:00 +0000``).
"""
from __future__ import annotations

from datetime import datetime, timezone
from email.utils import format_datetime
from functools import lru_cache

from .errors import TwilioError


def iso(dt: datetime) -> str:
    """How the store keeps timestamps, and how v1/v2 products show them."""
    utc = dt.astimezone(timezone.utc)
    return f"{utc.year:04d}-{utc:%m-%dT%H:%M:%S}Z"   # %Y drops the zeros of years before 1000


def parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(timezone.utc)


def parse_param(value: str, name: str, what: str = "an ISO 8601 date-time") -> datetime:
    """A date-time request parameter (``2024-05-01T10:00:00Z``; a bare date is midnight UTC,
    a time without an offset is UTC), or 20422 naming the parameter."""
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise TwilioError.invalid(name, f"must be {what}") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    try:
        return when.astimezone(timezone.utc)
    except OverflowError:  # 0001-01-01T00:00:00+05:00 is before the first representable UTC
        raise TwilioError.invalid(name, f"must be {what} between the years 1 and 9999") from None


@lru_cache(maxsize=4096)
def rfc2822(value: str | None) -> str | None:
    """Stored ISO timestamp -> the 2010 API's ``Thu, 30 Jul 2015 20:00:00 +0000``.
    (Cached: every record of a list page repeats a handful of timestamps.)"""
    return format_datetime(parse_iso(value)) if value else None


