"""Flex Interactions: /v1/Interactions[/{Sid}], their Channels (UO), and each channel's
Invites (KG), Participants (UT) and Transfers (UX).

``Channel``, ``Routing``, ``MediaProperties`` and ``RoutingProperties`` are form fields holding
JSON (the SDK serializes them); Transfers take a JSON body. Create answers 200 (Transfers 201),
as Twilio's specs say.
"""
from __future__ import annotations

from ...auth import principal
from ...current import sim
from ...domain.flex import interactions
from ...wire import json_object, list_v1, parse_json, text
from . import bp, url


def _json_param(name: str, *, required: bool = False):
    raw = text(name, required=required, code=45366)
    return None if raw is None else parse_json(raw, name)


def _base(interaction_sid: str) -> str:
    return f"/v1/Interactions/{interaction_sid}"


def to_wire(i: dict, *, routing=None) -> dict:
    return {
        "sid": i["sid"], "channel": i.get("channel"),
        "routing": routing if routing is not None else i["routing"],
        "url": url(_base(i["sid"])), "links": {"channels": url(_base(i["sid"]) + "/Channels")},
        "interaction_context_sid": i["interaction_context_sid"], "webhook_ttid": i["webhook_ttid"],
    }


def channel_to_wire(c: dict) -> dict:
    base = f"{_base(c['interaction_sid'])}/Channels/{c['sid']}"
    return {
        "sid": c["sid"], "interaction_sid": c["interaction_sid"], "type": c["type"],
        "status": c["status"], "error_code": c["error_code"], "error_message": c["error_message"],
        "url": url(base),
        "links": {"participants": url(base + "/Participants"), "invites": url(base + "/Invites"),
                  "transfers": url(base + "/Transfers")},
    }


def invite_to_wire(v: dict) -> dict:
    return {
        "sid": v["sid"], "interaction_sid": v["interaction_sid"], "channel_sid": v["channel_sid"],
        "routing": interactions.invite_routing(sim(), v),
        "url": url(f"{_base(v['interaction_sid'])}/Channels/{v['channel_sid']}/Invites/{v['sid']}"),
    }


def participant_to_wire(p: dict) -> dict:
    return {
        "sid": p["sid"], "type": p["type"], "interaction_sid": p["interaction_sid"],
        "channel_sid": p["channel_sid"],
        "url": url(f"{_base(p['interaction_sid'])}/Channels/{p['channel_sid']}/Participants/"
                   f"{p['sid']}"),
        "routing_properties": p["routing_properties"],
    }


def transfer_to_wire(t: dict) -> dict:
    return {
        "sid": t["sid"], "instance_sid": t["instance_sid"], "account_sid": t["account_sid"],
        "interaction_sid": t["interaction_sid"], "channel_sid": t["channel_sid"],
        "execution_sid": t["execution_sid"], "type": t["type"], "status": t["status"],
        "from": t["from"], "to": t["to"], "note_sid": t["note_sid"],
        "summary_sid": t["summary_sid"], "date_created": t["date_created"],
        "date_updated": t["date_updated"],
        "url": url(f"{_base(t['interaction_sid'])}/Channels/{t['channel_sid']}/Transfers/"
                   f"{t['sid']}"),
    }


def _interaction(sid: str) -> dict:
    return interactions.interaction_of(sim(), principal().account_sid, sid)


def _channel(interaction_sid: str, sid: str) -> dict:
    return interactions.channel_of(sim(), _interaction(interaction_sid), sid)


@bp.post("/Interactions")
def create_interaction():
    made = interactions.create_interaction(
        sim(), principal().account_sid, channel=_json_param("Channel", required=True),
        routing=_json_param("Routing"), interaction_context_sid=text("InteractionContextSid"),
        webhook_ttid=text("WebhookTtid"))
    return to_wire(made["interaction"], routing=interactions.invite_routing(sim(), made["invite"]))


@bp.get("/Interactions/<sid>")
def fetch_interaction(sid):
    return to_wire(_interaction(sid))


@bp.post("/Interactions/<sid>")
def update_interaction(sid):
    return to_wire(interactions.update_interaction(sim(), _interaction(sid),
                                                   webhook_ttid=text("WebhookTtid")))


@bp.get("/Interactions/<interaction_sid>/Channels")
def list_interaction_channels(interaction_sid):
    interaction = _interaction(interaction_sid)
    return list_v1("flex-api", _base(interaction["sid"]) + "/Channels", "channels",
                   interactions.list_channels(sim(), interaction), channel_to_wire)


@bp.get("/Interactions/<interaction_sid>/Channels/<sid>")
def fetch_interaction_channel(interaction_sid, sid):
    return channel_to_wire(_channel(interaction_sid, sid))


@bp.post("/Interactions/<interaction_sid>/Channels/<sid>")
def update_interaction_channel(interaction_sid, sid):
    channel = _channel(interaction_sid, sid)
    return channel_to_wire(interactions.update_channel(
        sim(), channel, status=text("Status"), routing=_json_param("Routing")))


@bp.post("/Interactions/<interaction_sid>/Channels/<channel_sid>/Invites")
def create_interaction_invite(interaction_sid, channel_sid):
    channel = _channel(interaction_sid, channel_sid)
    return invite_to_wire(interactions.create_invite(
        sim(), channel, _json_param("Routing", required=True)))


@bp.get("/Interactions/<interaction_sid>/Channels/<channel_sid>/Invites")
def list_interaction_invites(interaction_sid, channel_sid):
    channel = _channel(interaction_sid, channel_sid)
    return list_v1("flex-api", f"{_base(channel['interaction_sid'])}/Channels/{channel['sid']}"
                               "/Invites", "invites",
                   interactions.list_invites(sim(), channel), invite_to_wire)


@bp.post("/Interactions/<interaction_sid>/Channels/<channel_sid>/Participants")
def create_interaction_participant(interaction_sid, channel_sid):
    channel = _channel(interaction_sid, channel_sid)
    participant = interactions.add_participant(
        sim(), channel, kind=text("Type", required=True, code=45367),
        media_properties=_json_param("MediaProperties", required=True),
        routing_properties=_json_param("RoutingProperties"))
    return participant_to_wire(participant)


@bp.get("/Interactions/<interaction_sid>/Channels/<channel_sid>/Participants")
def list_interaction_participants(interaction_sid, channel_sid):
    channel = _channel(interaction_sid, channel_sid)
    return list_v1("flex-api", f"{_base(channel['interaction_sid'])}/Channels/{channel['sid']}"
                               "/Participants", "participants",
                   interactions.list_participants(sim(), channel), participant_to_wire)


@bp.post("/Interactions/<interaction_sid>/Channels/<channel_sid>/Participants/<sid>")
def update_interaction_participant(interaction_sid, channel_sid, sid):
    channel = _channel(interaction_sid, channel_sid)
    participant = interactions.participant_of(sim(), channel, sid)
    return participant_to_wire(interactions.update_participant(
        sim(), participant, text("Status", required=True, code=45367)))


@bp.post("/Interactions/<interaction_sid>/Channels/<channel_sid>/Transfers")
def create_interaction_transfer(interaction_sid, channel_sid):
    channel = _channel(interaction_sid, channel_sid)
    return transfer_to_wire(interactions.create_transfer(sim(), channel,
                                                         json_object(form=False))), 201


@bp.get("/Interactions/<interaction_sid>/Channels/<channel_sid>/Transfers/<sid>")
def fetch_interaction_transfer(interaction_sid, channel_sid, sid):
    channel = _channel(interaction_sid, channel_sid)
    return transfer_to_wire(interactions.transfer_of(sim(), channel, sid))


@bp.post("/Interactions/<interaction_sid>/Channels/<channel_sid>/Transfers/<sid>")
def update_interaction_transfer(interaction_sid, channel_sid, sid):
    channel = _channel(interaction_sid, channel_sid)
    transfer = interactions.transfer_of(sim(), channel, sid)
    return transfer_to_wire(interactions.update_transfer(sim(), transfer,
                                                         json_object(form=False)))
