"""Conversation Messages and their delivery receipts:
/v1/Conversations/{ConversationSid}/Messages[/{Sid}[/Receipts[/{Sid}]]]."""
from __future__ import annotations

from ...current import sim
from ...domain.conversations import messages
from ...paging import in_order
from ...wire import choice, list_v1, text
from . import bp, conversation_param, date, url


def to_wire(m: dict) -> dict:
    base = f"/Conversations/{m['conversation_sid']}/Messages/{m['sid']}"
    return {
        "account_sid": m["account_sid"], "conversation_sid": m["conversation_sid"],
        "sid": m["sid"], "index": m["index"], "author": m["author"], "body": m["body"],
        "media": None, "attributes": m["attributes"], "participant_sid": m["participant_sid"],
        "date_created": m["date_created"], "date_updated": m["date_updated"], "url": url(base),
        "delivery": messages.delivery(sim(), m),
        "links": {"delivery_receipts": url(base + "/Receipts"),
                  "channel_metadata": url(base + "/ChannelMetadata")},
        "content_sid": None,
    }


def receipt_to_wire(r: dict) -> dict:
    return {
        "account_sid": r["account_sid"], "conversation_sid": r["conversation_sid"],
        "sid": r["sid"], "message_sid": r["message_sid"],
        "channel_message_sid": r["channel_message_sid"], "participant_sid": r["participant_sid"],
        "status": r["status"], "error_code": r["error_code"] or 0,
        "date_created": r["date_created"], "date_updated": r["date_updated"],
        "url": url(f"/Conversations/{r['conversation_sid']}/Messages/{r['message_sid']}"
                   f"/Receipts/{r['sid']}"),
    }


@bp.post("/Conversations/<conversation_sid>/Messages")
def create_message(conversation_sid):
    conversation = conversation_param(conversation_sid)
    message = messages.add_message(
        sim(), conversation, author=text("Author"), body=text("Body", max_length=32768),
        attributes=text("Attributes"), media_sid=text("MediaSid"),
        date_created=date("DateCreated"))
    return to_wire(message), 201


@bp.get("/Conversations/<conversation_sid>/Messages")
def list_messages(conversation_sid):
    conversation = conversation_param(conversation_sid)
    fetch = messages.list_messages(sim(), conversation,
                                   newest_first=choice("Order", ("asc", "desc")) == "desc")
    return list_v1("conversations", f"/v1/Conversations/{conversation['sid']}/Messages",
                   "messages", fetch, to_wire)


@bp.get("/Conversations/<conversation_sid>/Messages/<sid>")
def fetch_message(conversation_sid, sid):
    conversation = conversation_param(conversation_sid)
    return to_wire(messages.message_of(sim(), conversation, sid))


@bp.post("/Conversations/<conversation_sid>/Messages/<sid>")
def update_message(conversation_sid, sid):
    conversation = conversation_param(conversation_sid)
    message = messages.message_of(sim(), conversation, sid)
    updated = messages.update_message(
        sim(), conversation, message, author=text("Author"), body=text("Body"),
        attributes=text("Attributes"), date_created=date("DateCreated"),
        date_updated=date("DateUpdated"))
    return to_wire(updated)


@bp.delete("/Conversations/<conversation_sid>/Messages/<sid>")
def delete_message(conversation_sid, sid):
    conversation = conversation_param(conversation_sid)
    messages.delete_message(sim(), conversation, messages.message_of(sim(), conversation, sid))
    return "", 204


@bp.get("/Conversations/<conversation_sid>/Messages/<message_sid>/Receipts")
def list_receipts(conversation_sid, message_sid):
    conversation = conversation_param(conversation_sid)
    message = messages.message_of(sim(), conversation, message_sid)
    return list_v1("conversations", f"/v1/Conversations/{conversation['sid']}/Messages/"
                                    f"{message['sid']}/Receipts", "delivery_receipts",
                   in_order(messages.receipts_of(sim(), message)), receipt_to_wire)


@bp.get("/Conversations/<conversation_sid>/Messages/<message_sid>/Receipts/<sid>")
def fetch_receipt(conversation_sid, message_sid, sid):
    conversation = conversation_param(conversation_sid)
    message = messages.message_of(sim(), conversation, message_sid)
    return receipt_to_wire(messages.receipt_of(sim(), message, sid))
