"""Twilio Conversations (conversations.twilio.com/v1): services and the account's
configuration, conversations, participants, messages with their delivery receipts,
conversation-scoped webhooks, address configurations, and the inbound SMS route into them.

Modules depend in this order (lower never imports higher): hooks < services < webhooks < core
< participants < messages < addresses < inbound. Importing the package registers the inbound
route with ``domain.messages``.
"""
from . import inbound  # noqa: F401  (registers the inbound SMS route)
