"""Outgoing webhooks: signing (X-Twilio-Signature), the outbox and its transports.

``deliver()`` signs a request with the account's Auth Token, sends it through a
transport and records it (``webhook_deliveries``: URL, parameters, signature,
response status and body). Transports: a WSGI app registered for a URL prefix
(in-process, e.g. the user's Flask app), real HTTP (``requests``), or record-only.
URLs on a ``*.twilio.com`` host (Studio's webhooks) stay inside: recorded, never sent.
The default (``auto``) is real HTTP when the simulator is served over a socket and
record-only in-process. A failed delivery (refused, timeout, non-2xx) raises a
monitor Alert with error 11200 and never breaks the simulator.
"""
from .outbox import deliver, register_wsgi, unregister_wsgi
from .signing import signature

__all__ = ["deliver", "register_wsgi", "unregister_wsgi", "signature"]
