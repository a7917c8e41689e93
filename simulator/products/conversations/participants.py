"""Conversation Participants: /v1/Conversations/{ConversationSid}/Participants[/{Sid}]."""
from __future__ import annotations

from ...current import sim
from ...domain.conversations import participants
from ...wire import integer, list_v1, text
from . import bp, conversation_param, date, url


def to_wire(p: dict) -> dict:
    return {
        "account_sid": p["account_sid"], "conversation_sid": p["conversation_sid"],
        "sid": p["sid"], "identity": p["identity"], "attributes": p["attributes"],
        "messaging_binding": p["messaging_binding"], "role_sid": p["role_sid"],
        "date_created": p["date_created"], "date_updated": p["date_updated"],
        "url": url(f"/Conversations/{p['conversation_sid']}/Participants/{p['sid']}"),
        "last_read_message_index": p["last_read_message_index"],
        "last_read_timestamp": p["last_read_timestamp"],
    }


@bp.post("/Conversations/<conversation_sid>/Participants")
def create_participant(conversation_sid):
    conversation = conversation_param(conversation_sid)
    participant = participants.add_participant(
        sim(), conversation, identity=text("Identity"),
        address=text("MessagingBinding.Address"),
        proxy_address=text("MessagingBinding.ProxyAddress"),
        projected_address=text("MessagingBinding.ProjectedAddress"),
        attributes=text("Attributes"), role_sid=text("RoleSid"),
        date_created=date("DateCreated"))
    return to_wire(participant), 201


@bp.get("/Conversations/<conversation_sid>/Participants")
def list_participants(conversation_sid):
    conversation = conversation_param(conversation_sid)
    return list_v1("conversations", f"/v1/Conversations/{conversation['sid']}/Participants",
                   "participants", participants.list_participants(sim(), conversation), to_wire)


@bp.get("/Conversations/<conversation_sid>/Participants/<sid>")
def fetch_participant(conversation_sid, sid):
    conversation = conversation_param(conversation_sid)
    return to_wire(participants.participant_of(sim(), conversation, sid))


@bp.post("/Conversations/<conversation_sid>/Participants/<sid>")
def update_participant(conversation_sid, sid):
    conversation = conversation_param(conversation_sid)
    participant = participants.participant_of(sim(), conversation, sid)
    updated = participants.update_participant(
        sim(), conversation, participant, attributes=text("Attributes"),
        role_sid=text("RoleSid"), identity=text("Identity"),
        proxy_address=text("MessagingBinding.ProxyAddress"),
        last_read_message_index=integer("LastReadMessageIndex", minimum=0),
        last_read_timestamp=text("LastReadTimestamp"), date_created=date("DateCreated"),
        date_updated=date("DateUpdated"))
    return to_wire(updated)


@bp.delete("/Conversations/<conversation_sid>/Participants/<sid>")
def delete_participant(conversation_sid, sid):
    conversation = conversation_param(conversation_sid)
    participants.remove_participant(sim(), conversation,
                                    participants.participant_of(sim(), conversation, sid))
    return "", 204
