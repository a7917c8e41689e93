"""Address Configurations (IG...): how a message to an address (an SMS number, a chat
address) that no conversation holds yet starts one (``/v1/Configuration/Addresses``).

``auto_creation``: ``enabled``; ``type`` ``default`` (a bare conversation), ``webhook`` (the
new conversation gets a scoped webhook to ``webhook_url`` for ``webhook_filters``) or
``studio`` (a scoped ``studio`` webhook running ``studio_flow_sid``: Flex's default for its
number and its chat address); ``conversation_service_sid`` (default: the account's default
service). One configuration per type and address (20409).
"""
from __future__ import annotations

from ...errors import TwilioError
from ...rules import conversations as rules
from ...rules import numbers as nrules
from ...rules.messaging import check_url
from ..numbers import owner_of
from .services import service_of


def _auto_creation(s, account_sid: str, spec: dict, current: dict | None = None) -> dict:
    merged = {**(current or {"enabled": False, "type": None, "conversation_service_sid": None,
                             "webhook_url": None, "webhook_method": None,
                             "webhook_filters": None, "studio_flow_sid": None,
                             "studio_retry_count": None}),
              **{k: v for k, v in spec.items() if v is not None}}
    kind = merged.get("type")
    if kind is not None and kind not in rules.AUTO_CREATION_TYPES:
        raise TwilioError.invalid("AutoCreation.Type", "must be webhook, studio or default")
    if merged.get("conversation_service_sid"):
        service_of(s, account_sid, merged["conversation_service_sid"],
                   param="AutoCreation.ConversationServiceSid")
    if merged["enabled"] and kind == "studio":
        flow = s.store.get("studio_flows", merged.get("studio_flow_sid") or "")
        if flow is None or flow["account_sid"] != account_sid:
            raise TwilioError.invalid("AutoCreation.StudioFlowSid", "must be a Studio Flow of "
                                                                    "this account")
    if merged["enabled"] and kind == "webhook":
        if not merged.get("webhook_url"):
            raise TwilioError.invalid("AutoCreation.WebhookUrl", "is required for a webhook")
        check_url(merged["webhook_url"], "AutoCreation.WebhookUrl")
    if merged.get("webhook_method") is not None:
        merged["webhook_method"] = merged["webhook_method"].upper()
    if merged.get("studio_retry_count") is not None and not 0 <= merged["studio_retry_count"] <= 3:
        raise TwilioError.invalid("AutoCreation.StudioRetryCount", "must be between 0 and 3")
    return merged


def new_address(s, account_sid: str, *, type_: str, address: str,
                friendly_name: str | None = None, auto_creation: dict | None = None,
                address_country: str | None = None) -> dict:
    if type_ not in rules.ADDRESS_TYPES:
        raise TwilioError.invalid("Type", f"must be one of {', '.join(rules.ADDRESS_TYPES)}")
    if type_ == "sms":
        parsed = nrules.parse(address)
        number = owner_of(s, parsed.e164) if parsed else None
        if number is None or number["account_sid"] != account_sid:
            raise TwilioError.invalid("Address", f"{address} is not a phone number of this "
                                                 "account")
        address = parsed.e164
        address_country = address_country or number["iso_country"]
    if address_of_type(s, account_sid, type_, address) is not None:
        raise TwilioError(20409, f"An address configuration for {type_} {address} exists")
    now = s.now()
    return s.store.insert("conv_addresses", {
        "sid": s.ids.sid("IG"), "account_sid": account_sid, "type": type_, "address": address,
        "friendly_name": friendly_name,
        "auto_creation": _auto_creation(s, account_sid, auto_creation or {}),
        "address_country": address_country, "date_created": now, "date_updated": now})


def address_of(s, account_sid: str, sid: str) -> dict:
    """By SID, or by the address itself (as Twilio's fetch accepts)."""
    record = s.store.get("conv_addresses", sid)
    if record is None:
        found = s.store.owned("conv_addresses", account_sid, limit=1,
                              where=lambda a: a["address"] == sid)
        record = found[0] if found else None
    if record is None or record["account_sid"] != account_sid:
        raise TwilioError.not_found()
    return record


def address_of_type(s, account_sid: str, type_: str, address: str) -> dict | None:
    found = s.store.owned("conv_addresses", account_sid, limit=1,
                          where=lambda a: a["type"] == type_ and a["address"] == address)
    return found[0] if found else None


def list_addresses(s, account_sid: str, type_: str | None = None):
    return s.store.pager("conv_addresses", account_sid,
                         where=None if type_ is None else (lambda a: a["type"] == type_))


def update_address(s, record: dict, *, friendly_name: str | None = None,
                   auto_creation: dict | None = None) -> dict:
    changes = {}
    if friendly_name is not None:
        changes["friendly_name"] = friendly_name
    if auto_creation:
        merged = _auto_creation(s, record["account_sid"], auto_creation, record["auto_creation"])
        if merged != record["auto_creation"]:
            changes["auto_creation"] = merged
    return s.modify("conv_addresses", record,
                    {k: v for k, v in changes.items() if record.get(k) != v})


def delete_address(s, record: dict):
    s.store.delete("conv_addresses", record["sid"])
