"""Conversation Messages (IM...) and their delivery receipts (DY...).

A message gets the conversation's next ``index`` (from 0). It goes out to every SMS
participant but its author as an SMS from the participant's ``proxy_address`` (a Message
record with its whole lifecycle, through ``domain.messages.send``: the trial, opt-out and
toll-free rules apply), one delivery receipt per SMS. A receipt follows its SMS's status
(queued/sending/sent -> ``sent``, ``delivered``, ``undelivered`` with 30032 ...); an SMS that
Twilio refuses outright (a trial account writing to an unverified number: 21608) gives a
``failed`` receipt with that code. Chat participants read messages through the API.
"""
from __future__ import annotations

from ...errors import TwilioError
from ...rules import conversations as rules
from .. import messages as sms
from .core import touched
from .participants import participant_by_address, participant_by_identity, participants_of
from .webhooks import fire


def add_message(s, conversation: dict, *, author: str | None = None, body: str | None = None,
                attributes: str | None = None, media_sid: str | None = None,
                participant: dict | None = None, source: str = "API",
                date_created: str | None = None) -> dict:
    rules.check_open(conversation)
    attributes = rules.check_attributes(attributes)
    if participant is None and author:
        participant = participant_by_identity(s, conversation["sid"], author) \
            or participant_by_address(s, conversation["sid"], author)
    with s.store.lock:
        conversation = s.store.require("conversations", conversation["sid"])
        index = conversation["next_index"]
        s.store.update("conversations", conversation["sid"], {"next_index": index + 1})
        now = s.now()
        message = s.store.insert("conv_messages", {
            "sid": s.ids.sid("IM"), "account_sid": conversation["account_sid"],
            "chat_service_sid": conversation["chat_service_sid"],
            "conversation_sid": conversation["sid"], "index": index,
            "author": author or "system", "body": body, "attributes": attributes,
            "media_sid": media_sid, "participant_sid": participant["sid"] if participant else None,
            "source": source, "date_created": date_created or now,
            "date_updated": date_created or now})
    conversation = touched(s, conversation)
    _send_sms(s, conversation, message, participant)
    fire(s, conversation, "onMessageAdded", _params(message), message=message)
    return message


def _send_sms(s, conversation: dict, message: dict, author: dict | None):
    """The message as an SMS to each SMS participant but its author."""
    account = s.store.get("accounts", conversation["account_sid"])
    for participant in participants_of(s, conversation["sid"]):
        binding = participant["messaging_binding"]
        if binding is None or binding.get("type") != "sms" or \
                (author is not None and participant["sid"] == author["sid"]):
            continue
        channel_message_sid, status, code = None, None, 0
        try:
            sent = sms.send(s, account, to=binding["address"], from_=binding["proxy_address"],
                            service_sid=None, body=message["body"] or "", media_urls=[])
            channel_message_sid = sent["sid"]
        except TwilioError as e:   # refused outright: a failed receipt with Twilio's code
            status, code = "failed", e.code
        now = s.now()
        s.store.insert("conv_receipts", {
            "sid": s.ids.sid("DY"), "account_sid": conversation["account_sid"],
            "chat_service_sid": conversation["chat_service_sid"],
            "conversation_sid": conversation["sid"], "message_sid": message["sid"],
            "participant_sid": participant["sid"], "channel_message_sid": channel_message_sid,
            "status": status, "error_code": code, "date_created": now, "date_updated": now})


def message_of(s, conversation: dict, sid: str) -> dict:
    message = s.store.get("conv_messages", sid)
    if message is None or message["conversation_sid"] != conversation["sid"]:
        raise TwilioError.not_found()
    return message


def list_messages(s, conversation: dict, *, newest_first: bool = False):
    return s.store.pager("conv_messages", conversation["sid"], newest_first=newest_first)


def messages_of(s, conversation_sid: str) -> list[dict]:
    return s.store.owned("conv_messages", conversation_sid)


def update_message(s, conversation: dict, message: dict, *, author=None, body=None,
                   attributes=None, date_created=None, date_updated=None) -> dict:
    rules.check_open(conversation)
    changes = {}
    if author is not None:
        changes["author"] = author
    if body is not None:
        changes["body"] = body
    if attributes is not None:
        changes["attributes"] = rules.check_attributes(attributes)
    if date_created is not None:
        changes["date_created"] = date_created
    changes = {k: v for k, v in changes.items() if message.get(k) != v}
    if not changes:
        return message
    message = s.store.update("conv_messages", message["sid"],
                             {**changes, "date_updated": date_updated or s.now()})
    fire(s, conversation, "onMessageUpdated", _params(message))
    return message


def delete_message(s, conversation: dict, message: dict):
    for receipt in s.store.owned("conv_receipts", message["sid"]):
        s.store.delete("conv_receipts", receipt["sid"])
    s.store.delete("conv_messages", message["sid"])
    fire(s, conversation, "onMessageRemoved", _params(message))


# -- delivery receipts ----------------------------------------------------------------------------
def receipt_view(s, receipt: dict) -> dict:
    """A receipt as it stands now: its SMS's status and error code."""
    if receipt["channel_message_sid"] is None:
        return receipt
    sent = s.store.get("messages", receipt["channel_message_sid"]) or {}
    return {**receipt, "status": rules.receipt_status(sent.get("status")),
            "error_code": sent.get("error_code") or 0,
            "date_updated": sent.get("date_updated") or receipt["date_updated"]}


def receipts_of(s, message: dict) -> list[dict]:
    return [receipt_view(s, r) for r in s.store.owned("conv_receipts", message["sid"])]


def receipt_of(s, message: dict, sid: str) -> dict:
    receipt = s.store.get("conv_receipts", sid)
    if receipt is None or receipt["message_sid"] != message["sid"]:
        raise TwilioError.not_found()
    return receipt_view(s, receipt)


def delivery(s, message: dict) -> dict | None:
    """The message's ``delivery`` summary (None when no SMS went out for it)."""
    return rules.delivery_summary([r["status"] for r in receipts_of(s, message)])


def _params(message: dict) -> dict:
    return {"MessageSid": message["sid"], "Index": str(message["index"]),
            "Author": message["author"] or "", "Body": message["body"] or "",
            "Attributes": message["attributes"], "ParticipantSid": message["participant_sid"] or "",
            "DateCreated": message["date_created"], "Source": message["source"]}
