"""The inspector: a window onto what the simulator holds, for the developer debugging a test.

    /inspector                   the clock, counts, accounts and their credentials, reset,
                                 snapshot download and restore
    /inspector/handsets          every phone outside Twilio; /handsets/<E.164>: its thread
                                 (send an SMS or call any Twilio number, see the replies)
    /inspector/messages          every message, paged, with its status and error code (30032
                                 explained); /messages/<SM>: its status history and webhooks
    /inspector/calls             calls, paged
    /inspector/webhooks          webhook deliveries: URL, parameters, signature, the answer
    /inspector/journal           the request journal
    /inspector/outbox            the Console's codes and invitations "sent"
    /inspector/tollfree          toll-free verifications (approve, reject)
    /inspector/faults            faults

Loopback only, like the control plane (it shows every credential). Reading pages is done
here through the domain, a page at a time; every button calls the control plane with a
same-origin JSON request.
"""
from __future__ import annotations

import json
import re

from flask import Blueprint, request

from ..current import sim
from ..domain import inspector as state
from ..domain.accounts import all_credentials
from ..domain.faults import list_faults
from ..errors import TwilioError
from ..request_log import readable
from ..rules import numbers as nrules
from .common import error_page, live, local_only, page, page_headers, page_request

inspector = Blueprint("inspector", __name__, url_prefix="/inspector")
inspector.before_request(page_request)
inspector.before_request(local_only)
inspector.after_request(page_headers)
inspector.register_error_handler(TwilioError, error_page)

PAGE_SIZES = (10, 25, 50, 100, 200)
DEFAULT_SIZE = 50
CURSOR_PART = re.compile(r"^(AC[0-9a-f]{32})?~([A-Z]{2}[0-9a-f]{32})$")
MESSAGE_STATUSES = ("accepted", "scheduled", "queued", "sending", "sent", "delivered",
                    "undelivered", "failed", "received", "canceled", "read")
JOURNAL_SHOWN = 100
BODY_SHOWN = 4000


def _size() -> int:
    raw = request.args.get("size", "")
    if not raw:
        return DEFAULT_SIZE
    if not raw.isdigit() or int(raw) not in PAGE_SIZES:
        raise TwilioError.invalid("size", f"must be one of {', '.join(map(str, PAGE_SIZES))}")
    return int(raw)


def _cursor() -> dict:
    """``after=<AC…>~<SID>,~<SID>``: where each account's list resumes."""
    raw = request.args.get("after", "")
    cursor = {}
    for part in filter(None, raw.split(",")):
        m = CURSOR_PART.match(part)
        if not m:
            raise TwilioError.invalid("after", "not a page cursor of the inspector")
        cursor[m.group(1) or ""] = m.group(2)
    return cursor


def _cursor_text(cursor: dict | None) -> str | None:
    if not cursor:
        return None
    return ",".join(f"{owner}~{sid}" for owner, sid in sorted(cursor.items()))


def _account_filter(accounts: list[dict]) -> str | None:
    wanted = request.args.get("account") or None
    if wanted is not None and wanted not in {a["sid"] for a in accounts}:
        raise TwilioError.invalid("account", f"{wanted} is not an account of the simulator")
    return wanted


def _number(raw: str, name: str = "number") -> str:
    parsed = nrules.parse(raw)
    if parsed is None:
        raise TwilioError(21211, f"{raw!r} is not a valid phone number ({name})")
    return parsed.e164


def _clock() -> dict:
    """The clock as the header shows it; in real time the page shows its offset only (the
    script ticks), so that the page changes only when the clock is moved."""
    clock = sim().clock.state()
    return {"mode": clock["mode"], "offset_seconds": clock["offset_seconds"],
            "now": clock["now"] if clock["mode"] == "frozen" else None}


def _page(template: str, **context):
    return page(f"inspector/{template}", clock=_clock(), section=template.split(".")[0],
                **context)


# -- overview ------------------------------------------------------------------------------------
@inspector.get("")
@live
def overview():
    s = sim()
    accounts = all_credentials(s)
    counts = {table: state.count(s, table) for table in state.PAGED}
    for a in accounts:
        a["messages"] = state.count(s, "messages", a["sid"])
    return _page("overview.html", accounts=accounts, counts=counts)


# -- handsets ------------------------------------------------------------------------------------
@inspector.get("/handsets")
@live
def handsets():
    return _page("handsets.html", handsets=state.handsets(sim()))


@inspector.get("/handsets/<number>")
@live
def handset(number):
    e164 = _number(number)
    s = sim()
    return _page("handset.html", thread=state.handset_thread(s, e164),
                 numbers=state.twilio_numbers(s),
                 unverified=state.trial_accounts_not_reaching(s, e164))


# -- messages ------------------------------------------------------------------------------------
@inspector.get("/messages")
@live
def messages():
    s = sim()
    accounts = state.all_accounts(s)
    account = _account_filter(accounts)
    status = request.args.get("status") or None
    if status is not None and status not in MESSAGE_STATUSES:
        raise TwilioError.invalid("status", f"must be one of {', '.join(MESSAGE_STATUSES)}")
    number = _number(request.args["number"]) if request.args.get("number") else None

    def where(m):
        return ((status is None or m["status"] == status)
                and (number is None or number in (m["from"], m["to"])))

    size = _size()
    rows, following = state.page(s, "messages", account_sid=account, cursor=_cursor(),
                                 limit=size, where=where if status or number else None)
    return _page("messages.html", rows=rows, following=_cursor_text(following),
                 first=not request.args.get("after"), accounts=accounts, account=account,
                 status=status, number=number, statuses=MESSAGE_STATUSES, size=size,
                 sizes=PAGE_SIZES, total=state.count(s, "messages", account))


@inspector.get("/messages/<sid>")
@live
def message(sid):
    detail = state.message_detail(sim(), sid)
    if detail is None:
        raise TwilioError.not_found(f"/inspector/messages/{sid}")
    return _page("message.html", **detail)


# -- calls and webhooks ----------------------------------------------------------------------------
@inspector.get("/calls")
@live
def calls():
    s = sim()
    accounts = state.all_accounts(s)
    account = _account_filter(accounts)
    size = _size()
    rows, following = state.page(s, "calls", account_sid=account, cursor=_cursor(), limit=size)
    return _page("calls.html", rows=rows, following=_cursor_text(following),
                 first=not request.args.get("after"), accounts=accounts, account=account,
                 size=size, sizes=PAGE_SIZES, total=state.count(s, "calls", account))


@inspector.get("/webhooks")
@live
def webhooks():
    s = sim()
    accounts = state.all_accounts(s)
    account = _account_filter(accounts)
    resource = request.args.get("resource") or None
    size = _size()
    rows, following = state.page(
        s, "webhook_deliveries", account_sid=account, cursor=_cursor(), limit=size,
        where=(lambda d: d["resource_sid"] == resource) if resource else None)
    return _page("webhooks.html", rows=rows, following=_cursor_text(following),
                 first=not request.args.get("after"), accounts=accounts, account=account,
                 resource=resource, size=size, sizes=PAGE_SIZES,
                 total=state.count(s, "webhook_deliveries", account))


# -- the journal, the outbox, toll-free, faults ---------------------------------------------
def _body_text(body) -> str:
    if body is None:
        return ""
    text = body if isinstance(body, str) else json.dumps(body, indent=2)
    return text if len(text) <= BODY_SHOWN else text[:BODY_SHOWN] + "\n… (cut)"


@inspector.get("/journal")
@live
def journal():
    entries = sim().recent_requests()
    total = len(entries)
    shown = [readable(e) for e in reversed(entries[-JOURNAL_SHOWN:])]
    for e in shown:
        e["body_text"] = _body_text(e["body"])
    return _page("journal.html", entries=shown, total=total, limit=JOURNAL_SHOWN)


@inspector.get("/outbox")
@live
def outbox():
    return _page("outbox.html", **state.outbox(sim()))


@inspector.get("/tollfree")
@live
def tollfree():
    return _page("tollfree.html", verifications=state.tollfree_verifications(sim()))


@inspector.get("/faults")
@live
def faults():
    return _page("faults.html", faults=list_faults(sim()))
