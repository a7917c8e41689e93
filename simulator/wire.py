"""Twilio's wire dialects: request parameters, dates and list envelopes.

The 2010 API (``api.twilio.com/2010-04-01``) uses RFC 2822 dates and a flat
list envelope with relative ``*_page_uri`` keys; the v1/v2 products use ISO 8601
dates and a ``meta`` object with absolute ``*_url`` keys. Both are read by
``twilio/base/page.py`` in the SDK, which follows ``next_page_uri`` (made
absolute against the product's domain) or ``meta.next_page_url``.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Callable, Iterable
from urllib.parse import unquote_to_bytes, urlencode

from flask import request

from .errors import TwilioError
from .hosts import public_url
from .paging import Fetch

PAGE_SIZE_DEFAULT = 50
PAGE_SIZE_MAX = 1000
PAGE_MAX = 2**31 - 1                      # Page beyond this is a 400, not an overflow
_PAGE_TOKEN = re.compile(r"^PA[A-Z]{2}[0-9a-f]{32}$")   # PA + the SID a page ended with
JSON_DEPTH_MAX = 32                       # nesting deeper than any simulator body needs
_HIGH_ESCAPE = re.compile(rb"%[89a-fA-F]")   # a percent-encoded byte >= 0x80 (UTF-8's only)


# -- bodies -----------------------------------------------------------------------------
def check_utf8() -> None:
    """A query string or form body whose percent-decoded bytes are not UTF-8 is a 400
    (werkzeug would drop such a form, or keep ``%C3(`` as text). The event bridge's body is
    raw JSON sent with a form content type (as the TaskRouter JS SDK sends it), never
    percent-decoded."""
    parts = [request.query_string]
    if request.mimetype == "application/x-www-form-urlencoded" \
            and request.blueprint != "event_bridge":
        parts.append(request.get_data(cache=True))  # the form is parsed from this copy
    for where, raw in zip(("query string", "form body"), parts):
        if not raw or (raw.isascii() and not _HIGH_ESCAPE.search(raw)):
            continue   # plain ASCII decodes whatever it is
        try:
            unquote_to_bytes(raw).decode("utf-8")
        except UnicodeDecodeError:
            raise TwilioError(20422, f"The request's {where} is not valid UTF-8 "
                                     "(parameters are percent-encoded UTF-8)") from None


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _finite(text_: str) -> float:
    value = float(text_)
    if not math.isfinite(value):
        raise ValueError(f"{text_} is out of range")
    return value


def _too_deep(value, limit: int = JSON_DEPTH_MAX) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def parse_json(raw: bytes | str, what: str = "The request body"):
    """JSON as every door reads it: strict numbers (no NaN, no overflow to infinity), at
    most ``JSON_DEPTH_MAX`` levels deep; anything else is a 400 (20422), never a 500."""
    try:
        data = json.loads(raw, parse_constant=_no_constant, parse_float=_finite)
    except RecursionError:
        raise TwilioError(20422, f"{what} is nested too deeply") from None
    except ValueError as e:  # also UnicodeDecodeError
        raise TwilioError(20422, f"{what} is not valid JSON: {e}") from None
    if _too_deep(data):
        raise TwilioError(20422, f"{what} is nested more than {JSON_DEPTH_MAX} levels deep")
    return data


def json_object(*, form: bool = True) -> dict:
    """The request body as a JSON object: the one body parser of the JSON doors (Console,
    Flex UI, control plane, Flex Configuration). Without a body: ``{}``. A form body is
    read as an object too, unless ``form=False``."""
    if request.is_json:
        raw = request.get_data(cache=True)
        if not raw.strip():
            return {}
        data = parse_json(raw)
        if not isinstance(data, dict):
            raise TwilioError(20422, "The request body must be a JSON object")
        return data
    if form and request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return request.form.to_dict()
    if not request.get_data(cache=True):
        return {}
    raise TwilioError(20422, "The request body must be a JSON object "
                             "(Content-Type: application/json)")


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
    TwilioError.check_range(name, number, minimum, maximum)
    return number


class FormParams:
    """This request's parameters through the reader the domain takes where two doors read the
    same parameters (``domain.taskrouter.instructions.Params``): the functions above, and a
    list as the parameter repeated."""

    @staticmethod
    def text(name: str) -> str | None:
        return text(name)

    @staticmethod
    def boolean(name: str, default: bool | None = None) -> bool | None:
        return boolean(name, default)

    @staticmethod
    def integer(name: str, *, minimum: int | None = None,
                maximum: int | None = None) -> int | None:
        return integer(name, minimum=minimum, maximum=maximum)

    @staticmethod
    def choice(name: str, allowed) -> str | None:
        return choice(name, allowed)

    @staticmethod
    def events(name: str) -> list[str] | None:
        return params().getlist(name) or None


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
        page = integer("Page", 0, minimum=0, maximum=PAGE_MAX, source=args)
        token = args.get("PageToken") or None
        if token is not None and not _PAGE_TOKEN.match(token):
            raise TwilioError.invalid("PageToken", "is not a token this list issued")
        return cls(page, size, token)

    @property
    def after(self) -> str | None:
        """The SID the previous page ended with (our tokens are ``PA`` + that SID)."""
        return self.token[2:] if self.token else None

    @property
    def skip(self) -> int:
        return self.page * self.page_size




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
