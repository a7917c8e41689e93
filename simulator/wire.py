"""Twilio's wire dialects: request parameters, dates and list envelopes.

The 2010 API (``api.twilio.com/2010-04-01``) uses RFC 2822 dates and a flat
list envelope with relative ``*_page_uri`` keys; the v1/v2 products use ISO 8601
dates and a ``meta`` object with absolute ``*_url`` keys. Both are read by
``twilio/base/page.py`` in the SDK, which follows ``next_page_uri`` (made
absolute against the product's domain) or ``meta.next_page_url``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable
from urllib.parse import urlencode

from flask import request

from .errors import TwilioError
from .hosts import public_url

PAGE_SIZE_DEFAULT = 50
PAGE_SIZE_MAX = 1000


# -- parameters ---------------------------------------------------------------------
def params():
    """The request's Twilio parameters: the form body for POST, the query otherwise."""
    return request.form if request.method in ("POST", "PUT") else request.args


def text(name: str, default=None, *, required: bool = False, max_length: int | None = None,
         code: int = 20422):
    value = params().get(name)
    if value is None or (required and value == ""):
        if required:
            raise TwilioError(code, f"Missing required parameter {name} in the post body")
        return default
    if max_length is not None and len(value) > max_length:
        raise TwilioError(code, f"{name} must be at most {max_length} characters long")
    return value


def choice(name: str, allowed: Iterable[str], default=None):
    value = params().get(name)
    if value is None:
        return default
    allowed = tuple(allowed)
    if value not in allowed:
        raise TwilioError.invalid(name, f"must be one of {', '.join(allowed)}")
    return value


def boolean(name: str, default=None):
    value = params().get(name)
    if value is None:
        return default
    if value.lower() in ("true", "1", "yes"):
        return True
    if value.lower() in ("false", "0", "no"):
        return False
    raise TwilioError.invalid(name, "must be true or false")


def integer(name: str, default=None, *, minimum: int | None = None, maximum: int | None = None,
            source=None):
    value = (source if source is not None else params()).get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise TwilioError.invalid(name, "must be an integer") from None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise TwilioError.invalid(name, f"must be between {minimum} and {maximum}")
    return number


# -- paging -----------------------------------------------------------------------------
@dataclass
class PageRequest:
    page: int
    page_size: int
    token: str | None

    @classmethod
    def from_request(cls) -> "PageRequest":
        args = request.args
        size = integer("PageSize", PAGE_SIZE_DEFAULT, minimum=1, maximum=PAGE_SIZE_MAX, source=args)
        page = integer("Page", 0, minimum=0, source=args)
        token = args.get("PageToken") or None
        if token is not None and not token.startswith("PA"):
            raise TwilioError.invalid("PageToken", "is not a token this list issued")
        return cls(page, size, token)

    @property
    def after(self) -> str | None:
        """The SID the previous page ended with (our tokens are ``PA`` + that SID)."""
        return self.token[2:] if self.token else None

    @property
    def skip(self) -> int:
        return self.page * self.page_size


# fetch(after_sid, skip, limit) -> records in Twilio's order for this list
Fetch = Callable[[str | None, int, int], list]


def _query(page: int, size: int, token: str | None) -> str:
    pairs = [(k, v) for k, v in request.args.items(multi=True)
             if k not in ("Page", "PageSize", "PageToken")]
    pairs += [("PageSize", size), ("Page", page)]
    if token:
        pairs.append(("PageToken", token))
    return urlencode(pairs)


def _page(fetch: Fetch):
    req = PageRequest.from_request()
    records = fetch(req.after, req.skip, req.page_size + 1)
    more = len(records) > req.page_size
    records = records[: req.page_size]
    next_token = f"PA{records[-1]['sid']}" if more and records else None
    return req, records, more, next_token


def paged(records: list[dict]) -> Fetch:
    """A ``Fetch`` over records already in Twilio's order (computed lists)."""
    def fetch(after, skip, limit):
        if after is not None:
            sids = [r["sid"] for r in records]
            skip = sids.index(after) + 1 if after in sids else skip
        return records[skip:skip + limit]
    return fetch


def list_2010(path: str, key: str, fetch: Fetch, to_wire: Callable[[dict], dict]) -> dict:
    """The 2010 envelope for ``path`` (public, e.g. ``/2010-04-01/Accounts.json``)."""
    req, records, more, next_token = _page(fetch)
    start = req.skip
    return {
        "first_page_uri": f"{path}?{_query(0, req.page_size, None)}",
        "end": start + max(len(records) - 1, 0),
        "previous_page_uri": (f"{path}?{_query(req.page - 1, req.page_size, None)}"
                              if req.page > 0 else None),
        "uri": f"{path}?{_query(req.page, req.page_size, req.token)}",
        "page_size": req.page_size,
        "start": start,
        "next_page_uri": f"{path}?{_query(req.page + 1, req.page_size, next_token)}" if more else None,
        "page": req.page,
        key: [to_wire(r) for r in records],
    }


def list_v1(label: str, path: str, key: str, fetch: Fetch, to_wire: Callable[[dict], dict]) -> dict:
    """The v1/v2 envelope for ``path`` (public, e.g. ``/v1/Workspaces``) on ``label``."""
    req, records, more, next_token = _page(fetch)
    url = public_url(label, path)
    return {
        "meta": {
            "page": req.page,
            "page_size": req.page_size,
            "first_page_url": f"{url}?{_query(0, req.page_size, None)}",
            "previous_page_url": (f"{url}?{_query(req.page - 1, req.page_size, None)}"
                                  if req.page > 0 else None),
            "url": f"{url}?{_query(req.page, req.page_size, req.token)}",
            "next_page_url": f"{url}?{_query(req.page + 1, req.page_size, next_token)}" if more else None,
            "key": key,
        },
        key: [to_wire(r) for r in records],
    }
