"""Studio Flows: /v2/Flows[/{Sid}] (create, fetch, list, update, delete) and their revisions
(/v2/Flows/{Sid}/Revisions[/{Revision}]). Lists leave the definitions out, as Twilio does."""
from __future__ import annotations

from ...auth import principal
from ...current import sim
from ...domain import studio
from ...paging import in_order
from ...wire import choice, list_v1, parse_json, text
from . import bp, url

STATUSES = ("draft", "published")


def _links(sid: str) -> dict:
    return {"test_users": url(f"/Flows/{sid}/TestUsers"),
            "revisions": url(f"/Flows/{sid}/Revisions"),
            "executions": url(f"/Flows/{sid}/Executions")}


def to_wire(f: dict, *, full: bool = True) -> dict:
    return {
        "sid": f["sid"], "account_sid": f["account_sid"], "author_sid": f["author_sid"],
        "friendly_name": f["friendly_name"], "definition": f["definition"] if full else None,
        "status": f["status"], "revision": f["revision"], "commit_message": f["commit_message"],
        "valid": True if full else None, "errors": [] if full else None,
        "warnings": [] if full else None,
        "date_created": f["date_created"], "date_updated": f["date_updated"],
        "webhook_url": studio.webhook_url(f), "url": url(f"/Flows/{f['sid']}"),
        "links": _links(f["sid"]),
    }


def revision_to_wire(r: dict, *, full: bool = True) -> dict:
    return {
        "sid": r["flow_sid"], "account_sid": r["account_sid"], "author_sid": r["author_sid"],
        "friendly_name": r["friendly_name"], "definition": r["definition"] if full else None,
        "status": r["status"], "revision": r["revision"], "commit_message": r["commit_message"],
        "valid": True if full else None, "errors": [] if full else None,
        "date_created": r["date_created"], "date_updated": r["date_updated"],
        "url": url(f"/Flows/{r['flow_sid']}/Revisions/{r['revision']}"),
    }


def _definition(required: bool):
    raw = text("Definition", required=required)
    return None if raw is None else parse_json(raw, "Definition")


@bp.post("/Flows")
def create_flow():
    name = text("FriendlyName", required=True)
    status = choice("Status", STATUSES) or text("Status", required=True)
    flow = studio.new_flow(sim(), principal().account_sid, friendly_name=name,
                           definition=_definition(True), status=status,
                           commit_message=text("CommitMessage"))
    return to_wire(flow), 201


@bp.get("/Flows")
def list_flows():
    return list_v1("studio", "/v2/Flows", "flows",
                   studio.list_flows(sim(), principal().account_sid),
                   lambda f: to_wire(f, full=False))


@bp.get("/Flows/<sid>")
def fetch_flow(sid):
    return to_wire(studio.flow_of(sim(), principal().account_sid, sid))


@bp.post("/Flows/<sid>")
def update_flow(sid):
    flow = studio.flow_of(sim(), principal().account_sid, sid)
    status = choice("Status", STATUSES) or text("Status", required=True)
    updated = studio.update_flow(sim(), flow, status=status, friendly_name=text("FriendlyName"),
                                 definition=_definition(False),
                                 commit_message=text("CommitMessage"))
    return to_wire(updated)


@bp.delete("/Flows/<sid>")
def delete_flow(sid):
    studio.delete_flow(sim(), studio.flow_of(sim(), principal().account_sid, sid))
    return "", 204


@bp.get("/Flows/<sid>/Revisions")
def list_revisions(sid):
    flow = studio.flow_of(sim(), principal().account_sid, sid)
    return list_v1("studio", f"/v2/Flows/{flow['sid']}/Revisions", "revisions",
                   in_order(studio.revisions_of(sim(), flow)),
                   lambda r: revision_to_wire(r, full=False))


@bp.get("/Flows/<sid>/Revisions/<revision>")
def fetch_revision(sid, revision):
    flow = studio.flow_of(sim(), principal().account_sid, sid)
    return revision_to_wire(studio.revision_of(sim(), flow, revision))
