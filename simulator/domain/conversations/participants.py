"""Conversation Participants (MB...): chat participants (an ``identity``) and SMS participants
(a ``messaging_binding``: the handset ``address`` and the Twilio number, ``proxy_address``,
the conversation writes from).

An address pair (proxy, address) belongs to one open conversation at a time (50416): an
inbound SMS from ``address`` to ``proxy_address`` lands in it. An identity or an address is in
a conversation once (50433).
"""
from __future__ import annotations

from ...errors import TwilioError
from ...rules import conversations as rules
from ...rules import numbers as nrules
from ..numbers import owner_of
from .webhooks import fire


def _pair_key(proxy_address: str, address: str) -> str:
    return f"{proxy_address}|{address}"


def pair_conversation(s, proxy_address: str, address: str) -> dict | None:
    """The open conversation the SMS pair belongs to, if any."""
    pair = s.store.get("conv_pairs", _pair_key(proxy_address, address))
    return s.store.get("conversations", pair["conversation_sid"]) if pair else None


def add_participant(s, conversation: dict, *, identity: str | None = None,
                    address: str | None = None, proxy_address: str | None = None,
                    projected_address: str | None = None, attributes: str | None = None,
                    role_sid: str | None = None, date_created: str | None = None) -> dict:
    rules.check_open(conversation)
    attributes = rules.check_attributes(attributes)
    binding = None
    if address is not None or proxy_address is not None:
        binding = _sms_binding(s, conversation, address, proxy_address)
        if identity is not None:
            raise TwilioError.invalid("Identity", "an SMS participant has no identity")
    elif identity is None and projected_address is None:
        raise TwilioError.invalid("Identity", "a participant needs an Identity or a "
                                              "MessagingBinding.Address")
    if identity is not None and participant_by_identity(s, conversation["sid"], identity):
        raise TwilioError(50433, f"Participant {identity!r} is already in conversation "
                                 f"{conversation['sid']}")
    service = s.store.get("conv_services", conversation["chat_service_sid"]) or {}
    now = s.now()
    participant = s.store.insert("conv_participants", {
        "sid": s.ids.sid("MB"), "account_sid": conversation["account_sid"],
        "chat_service_sid": conversation["chat_service_sid"],
        "conversation_sid": conversation["sid"], "identity": identity,
        "attributes": attributes, "messaging_binding": binding,
        "role_sid": role_sid or service.get("role_sid"),
        "last_read_message_index": None, "last_read_timestamp": None,
        "date_created": date_created or now, "date_updated": date_created or now})
    if binding is not None:
        s.store.insert("conv_pairs", {"sid": _pair_key(binding["proxy_address"],
                                                       binding["address"]),
                                      "conversation_sid": conversation["sid"],
                                      "participant_sid": participant["sid"]})
    fire(s, conversation, "onParticipantAdded", _params(participant))
    return participant


def _sms_binding(s, conversation: dict, address: str | None, proxy_address: str | None) -> dict:
    parsed = nrules.parse(address) if address else None
    proxy = nrules.normalize(proxy_address) if proxy_address else None
    number = owner_of(s, proxy) if proxy else None
    owned = number is not None and number["account_sid"] == conversation["account_sid"] \
        and bool(number["capabilities"].get("sms"))
    rules.check_sms_binding(parsed.e164 if parsed else address, proxy,
                            address_ok=parsed is not None, proxy_owned=owned)
    if s.store.get("conv_pairs", _pair_key(proxy, parsed.e164)) is not None:
        raise TwilioError(50416, f"{parsed.e164} already talks with {proxy} in another "
                                 "conversation")
    if any((p["messaging_binding"] or {}).get("address") == parsed.e164
           for p in s.store.owned("conv_participants", conversation["sid"])):
        raise TwilioError(50433, f"{parsed.e164} is already in conversation "
                                 f"{conversation['sid']}")
    return {"type": "sms", "address": parsed.e164, "proxy_address": proxy}


def participant_by_identity(s, conversation_sid: str, identity: str) -> dict | None:
    found = s.store.owned("conv_participants", conversation_sid, limit=1,
                          where=lambda p: p["identity"] == identity)
    return found[0] if found else None


def participant_by_address(s, conversation_sid: str, address: str) -> dict | None:
    found = s.store.owned("conv_participants", conversation_sid, limit=1,
                          where=lambda p: (p["messaging_binding"] or {}).get("address") == address)
    return found[0] if found else None


def participant_of(s, conversation: dict, sid: str) -> dict:
    """A participant by SID (or identity, as Twilio allows)."""
    participant = s.store.get("conv_participants", sid)
    if participant is None or participant["conversation_sid"] != conversation["sid"]:
        participant = participant_by_identity(s, conversation["sid"], sid)
    if participant is None:
        raise TwilioError.not_found()
    return participant


def list_participants(s, conversation: dict):
    return s.store.pager("conv_participants", conversation["sid"])


def participants_of(s, conversation_sid: str) -> list[dict]:
    return s.store.owned("conv_participants", conversation_sid)


def update_participant(s, conversation: dict, participant: dict, *, attributes=None,
                       role_sid=None, identity=None, proxy_address=None,
                       last_read_message_index=None, last_read_timestamp=None,
                       date_created=None, date_updated=None) -> dict:
    rules.check_open(conversation)
    changes = {}
    if attributes is not None:
        changes["attributes"] = rules.check_attributes(attributes)
    if role_sid is not None:
        changes["role_sid"] = role_sid
    if identity is not None and identity != participant["identity"]:
        if participant["messaging_binding"] is not None:
            raise TwilioError.invalid("Identity", "an SMS participant has no identity")
        if participant_by_identity(s, conversation["sid"], identity):
            raise TwilioError(50433, f"Participant {identity!r} is already in the conversation")
        changes["identity"] = identity
    if last_read_message_index is not None:
        changes["last_read_message_index"] = last_read_message_index
    if last_read_timestamp is not None:
        changes["last_read_timestamp"] = last_read_timestamp
    if date_created is not None:
        changes["date_created"] = date_created
    if proxy_address is not None and participant["messaging_binding"] is not None \
            and proxy_address != participant["messaging_binding"]["proxy_address"]:
        raise TwilioError.invalid("MessagingBinding.ProxyAddress", "cannot be changed; remove "
                                                                   "the participant and add it")
    changes = {k: v for k, v in changes.items() if participant.get(k) != v}
    if not changes:
        return participant
    participant = s.store.update("conv_participants", participant["sid"],
                                 {**changes, "date_updated": date_updated or s.now()})
    fire(s, conversation, "onParticipantUpdated", _params(participant))
    return participant


def remove_participant(s, conversation: dict, participant: dict):
    binding = participant["messaging_binding"]
    if binding is not None:
        s.store.delete("conv_pairs", _pair_key(binding["proxy_address"], binding["address"]))
    s.store.delete("conv_participants", participant["sid"])
    fire(s, conversation, "onParticipantRemoved", _params(participant))


def _params(participant: dict) -> dict:
    binding = participant["messaging_binding"] or {}
    params = {"ParticipantSid": participant["sid"], "Identity": participant["identity"] or "",
              "Attributes": participant["attributes"], "RoleSid": participant["role_sid"] or "",
              "DateCreated": participant["date_created"], "Source": "API"}
    if binding:
        params.update({"MessagingBinding.Type": binding["type"],
                       "MessagingBinding.Address": binding["address"],
                       "MessagingBinding.ProxyAddress": binding["proxy_address"]})
    return params
