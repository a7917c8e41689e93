"""Fixture entries of an account for issue 3 (format in README.md, section Messaging):

``signup_phone``: E.164 (verified caller ID), ``incoming_phone_numbers``: [{phone_number?, number_type?, country?, friendly_name?, sms_url?,
voice_url?, sid?}], ``outgoing_caller_ids``: [{phone_number, friendly_name?}],
``messaging_services``: [{friendly_name, inbound_request_url?, sid?, phone_numbers: [E.164]}],
``tollfree_verifications``: [{phone_number, status?, business_name?...}].
"""
from __future__ import annotations


def load_account_numbers(account_sid: str, spec: dict):
    from ..messaging.services import add_number, new_service
    from ..messaging.tollfree_verifications import new_verification
    from .incoming_phone_numbers import new_incoming_number, owner_of
    from .outgoing_caller_ids import new_caller_id
    for n in spec.get("incoming_phone_numbers", []):
        new_incoming_number(account_sid, phone_number=n.get("phone_number"),
                            number_type=n.get("number_type", "local"),
                            country=n.get("country", "US"), friendly_name=n.get("friendly_name"),
                            sms_url=n.get("sms_url"), voice_url=n.get("voice_url"),
                            sid=n.get("sid"))
    if spec.get("signup_phone"):   # a trial account's signup phone is a verified caller ID
        new_caller_id(account_sid, spec["signup_phone"], "Signup phone")
    for c in spec.get("outgoing_caller_ids", []):
        new_caller_id(account_sid, c["phone_number"], c.get("friendly_name"), sid=c.get("sid"))
    for s in spec.get("messaging_services", []):
        service = new_service(account_sid, s.get("friendly_name", "Messaging Service"),
                              inbound_request_url=s.get("inbound_request_url"), sid=s.get("sid"),
                              status_callback=s.get("status_callback"))
        for phone in s.get("phone_numbers", []):
            add_number(service, _own(account_sid, phone, owner_of))
    for v in spec.get("tollfree_verifications", []):
        new_verification(account_sid, _own(account_sid, v["phone_number"], owner_of), v)


def _own(account_sid: str, phone: str, owner_of) -> dict:
    number = owner_of(phone)
    if number is None or number["account_sid"] != account_sid:
        raise ValueError(f"fixtures: {phone} is not one of the incoming_phone_numbers of "
                         f"account {account_sid}")
    return number
