"""What the inspector pages show: the simulator's state across every account, read a page at
a time so that 10,000 messages open as fast as 10.

Records kept per account (messages, calls, webhook deliveries) are read newest first from
each account's own index and merged, so a page costs (accounts x page size), whatever the
table holds. A page's cursor is the last record it took from each account.
"""
from __future__ import annotations

import heapq

from ..rules import numbers as nrules
from .console import sent_codes
from .flex.invites import sent_invites

# tables the inspector pages through, each owned by an account
PAGED = ("messages", "calls", "webhook_deliveries")
THREAD_LIMIT = 200   # a handset's thread shows its newest 200 messages


def all_accounts(s) -> list[dict]:
    """Every account (main accounts and subaccounts), oldest first."""
    return s.store.find("accounts", lambda a: True)


def _owners(s, account_sid: str | None) -> list:
    if account_sid:
        return [account_sid]
    return [a["sid"] for a in all_accounts(s)] + [None]   # None: records of no account


def count(s, table: str, account_sid: str | None = None) -> int:
    return sum(s.store.count(table, owner) for owner in _owners(s, account_sid))


def page(s, table: str, *, account_sid: str | None = None, cursor: dict | None = None,
         limit: int = 50, where=None) -> tuple[list[dict], dict | None]:
    """One page of ``table`` newest first, across every account (or one), and the cursor of
    the next page (None on the last): ``{account_sid or "": last SID taken}``."""
    if table not in PAGED:
        raise ValueError(f"{table} is not paged by the inspector")
    cursor = dict(cursor or {})
    lists = {}
    for owner in _owners(s, account_sid):
        key = owner or ""
        lists[key] = s.store.owned(table, owner, newest_first=True, where=where,
                                   after=cursor.get(key), limit=limit + 1)   # +1: is there more?
    tagged = ([(r["date_created"] or "", key, r) for r in rows] for key, rows in lists.items())
    merged = heapq.merge(*tagged, key=lambda t: t[0], reverse=True)
    taken: list[dict] = []
    used: dict[str, int] = {}
    for _, key, record in merged:
        if len(taken) == limit:
            break
        taken.append(record)
        used[key] = used.get(key, 0) + 1
        cursor[key] = record["sid"]
    more = any(used.get(key, 0) < len(rows) for key, rows in lists.items())
    return taken, (cursor if more and taken else None)


# -- handsets --------------------------------------------------------------------------------
def _handset_of(m: dict) -> str:
    """The customer's side of a message: who sent an inbound one, who got any other."""
    return m["from"] if m["direction"] == "inbound" else m["to"]


def handsets(s) -> list[dict]:
    """Every number outside Twilio that sent or got an SMS, or a Console code: its number,
    how many messages, and the last one's date; most recent first."""
    seen: dict[str, dict] = {}

    def tally(m: dict) -> bool:   # counted in passing: nothing is copied
        number = _handset_of(m)
        entry = seen.setdefault(number, {"number": number, "messages": 0, "last": ""})
        entry["messages"] += 1
        entry["last"] = max(entry["last"], m["date_created"] or "")
        return False

    s.store.find("messages", tally)
    for code in sent_codes(s):
        if code["phone"]:
            entry = seen.setdefault(code["phone"], {"number": code["phone"], "messages": 0,
                                                    "last": ""})
            entry["last"] = max(entry["last"], code["date_created"] or "")
    return sorted(seen.values(), key=lambda e: e["last"], reverse=True)


def handset_thread(s, number: str) -> dict:
    """What a handset shows: every SMS it sent or got (the newest ``THREAD_LIMIT``), and the
    Console's codes sent to it, oldest first; plus its calls."""
    messages = s.store.find("messages", lambda m: _handset_of(m) == number)
    messages.sort(key=lambda m: m["date_created"] or "")
    older = max(0, len(messages) - THREAD_LIMIT)
    entries = [{"kind": "sms", "at": m["date_created"], "message": m} for m in messages[older:]]
    entries += [{"kind": "code", "at": c["date_created"], "code": c}
              for c in sent_codes(s, phone=number)]
    entries.sort(key=lambda i: i["at"] or "")
    calls = s.store.find("calls", lambda c: number in (c["from"], c["to"]))
    calls.sort(key=lambda c: c["date_created"] or "", reverse=True)
    return {"number": number, "entries": entries, "older": older, "calls": calls}


def twilio_numbers(s) -> list[dict]:
    """Every phone number of every account, with the account's name and type."""
    names = {a["sid"]: a for a in all_accounts(s)}
    out = []
    for n in s.store.find("incoming_phone_numbers", lambda n: True):
        account = names.get(n["account_sid"]) or {}
        out.append({**n, "account_name": account.get("friendly_name"),
                    "account_type": account.get("type")})
    return out


def trial_accounts_not_reaching(s, number: str) -> list[dict]:
    """Trial accounts that texted or were texted by ``number`` without it being one of their
    verified caller IDs: their replies to it are refused (21608)."""
    parsed = nrules.parse(number)
    if parsed is None:
        return []
    involved = {m["account_sid"] for m in s.store.find(
        "messages", lambda m: _handset_of(m) == parsed.e164)}
    out = []
    for account in all_accounts(s):
        if account["sid"] in involved and account["type"] == "Trial" and not s.store.owned(
                "outgoing_caller_ids", account["sid"],
                where=lambda c: c["phone_number"] == parsed.e164, limit=1):
            out.append(account)
    return out


# -- one message -----------------------------------------------------------------------------
def message_detail(s, sid: str) -> dict | None:
    """A message with its media, the webhooks sent about it, and for one sent from a
    toll-free number, that number and its verifications."""
    m = s.store.get("messages", sid)
    if m is None:
        return None
    deliveries = s.store.owned("webhook_deliveries", m["account_sid"],
                               where=lambda d: d["resource_sid"] == sid)
    return {"message": m, "media": s.store.owned("message_media", sid),
            "deliveries": deliveries, **sender_verification(s, m)}


def sender_verification(s, m: dict) -> dict:
    """The sending number of ``m`` and its toll-free verifications, newest first."""
    number = next(iter(s.store.owned("incoming_phone_numbers", m["account_sid"],
                                     where=lambda n: n["phone_number"] == m["from"], limit=1)),
                  None)
    found = s.store.owned("tollfree_verifications", m["account_sid"], newest_first=True,
                          where=lambda v: number is not None
                          and v["tollfree_phone_number_sid"] == number["sid"])
    return {"sender": number, "verifications": found}


def tollfree_verifications(s) -> list[dict]:
    """Every toll-free verification, newest first."""
    found = s.store.find("tollfree_verifications", lambda v: True)
    return sorted(found, key=lambda v: v["date_created"] or "", reverse=True)


# -- what was "sent" by SMS and email ------------------------------------------------------------
def outbox(s) -> dict:
    """The Console's phone codes and the invitations 'sent' by email, newest first."""
    invites = sent_invites(s)
    invites.sort(key=lambda i: i["date_created"] or "", reverse=True)
    return {"codes": sent_codes(s), "invites": invites}
