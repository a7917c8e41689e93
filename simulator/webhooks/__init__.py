"""Outgoing webhooks' mechanics: signing (X-Twilio-Signature) and transports.

What is delivered, when, and how it is recorded is the domain's (``domain/webhooks.py``).
"""
from .signing import signature
from .transports import register_wsgi, unregister_wsgi

__all__ = ["register_wsgi", "unregister_wsgi", "signature"]
