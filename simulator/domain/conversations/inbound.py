"""Messages that arrive from outside: an SMS to a Twilio number, a first chat at a chat
address.

An SMS from a handset to a number lands, in this order:

1. in the open conversation that holds the pair (customer, number), as a message of that
   SMS participant;
2. else, when the number has an address configuration with auto-creation enabled, in a new
   conversation (service, webhooks or Studio flow from the configuration) with the customer
   as its SMS participant;
3. else nowhere here: the number's SmsUrl gets it, as before (``domain.messages.receive``).

Registered with ``domain.messages`` as an inbound route, so the messaging module never
imports Conversations.
"""
from __future__ import annotations

from .. import messages as sms
from .addresses import address_of_type
from .core import create_conversation
from .messages import add_message
from .participants import add_participant, pair_conversation, participant_by_address
from .services import default_service, service_of
from .webhooks import new_webhook


def start_conversation(s, config: dict, *, friendly_name: str | None = None,
                       attributes: str | None = None) -> dict:
    """A conversation auto-created for ``config`` (an address configuration): in its service,
    with the scoped webhook its auto-creation type asks for."""
    auto = config["auto_creation"]
    account_sid = config["account_sid"]
    service = service_of(s, account_sid, auto["conversation_service_sid"]) \
        if auto.get("conversation_service_sid") else default_service(s, account_sid)
    conversation = create_conversation(s, account_sid, service=service,
                                       friendly_name=friendly_name, attributes=attributes)
    if auto.get("type") == "studio":
        new_webhook(s, conversation, target="studio", flow_sid=auto["studio_flow_sid"])
    elif auto.get("type") == "webhook":
        new_webhook(s, conversation, target="webhook", url=auto["webhook_url"],
                    method=auto.get("webhook_method"),
                    filters=auto.get("webhook_filters") or ["onMessageAdded"])
    return conversation


def route_sms(s, message: dict, number: dict) -> dict | None:
    """Where an inbound SMS goes in Conversations: ``{conversation_sid, message_sid}``, or
    None when no conversation takes it."""
    customer, proxy = message["from"], number["phone_number"]
    conversation = pair_conversation(s, proxy, customer)
    if conversation is not None:
        participant = participant_by_address(s, conversation["sid"], customer)
    else:
        config = address_of_type(s, number["account_sid"], "sms", proxy)
        if config is None or not config["auto_creation"].get("enabled"):
            return None
        conversation = start_conversation(s, config)
        participant = add_participant(s, conversation, address=customer, proxy_address=proxy)
    posted = add_message(s, conversation, author=customer, body=message["body"],
                         participant=participant, source="SMS")
    return {"conversation_sid": conversation["sid"], "message_sid": posted["sid"]}


sms.add_inbound_route(route_sms)
