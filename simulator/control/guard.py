"""Who may drive the control plane: every /_sim/ blueprint runs ``guard`` first.

The plane has no Twilio auth, so it answers only what cannot come from a web page the
developer happens to open:

* a loopback client (unless ``--control-public``);
* a loopback ``Host`` (``localhost``, ``127.x.x.x``, ``[::1]``) or the host the server was
  started on: a DNS-rebinding page reaches 127.0.0.1 with its own name in ``Host``;
* no cross-site ``Origin`` (nor ``Origin: null``, nor ``Sec-Fetch-Site: cross-site``);
* a JSON body (``Content-Type: application/json``) on every POST, PUT, PATCH and DELETE:
  a page can send a cross-site form or ``text/plain`` POST without asking, never JSON.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import request

from ..current import sim
from ..errors import TwilioError
from ..hosts import hostname, is_local_host, is_loopback_address

_CHANGING = ("POST", "PUT", "PATCH", "DELETE")


def guard():
    settings = sim().settings
    public = settings.control_plane_public
    addr = request.remote_addr
    if not public and addr is not None and not is_loopback_address(addr):
        raise TwilioError(20006, "The simulator control plane answers loopback clients only "
                                 "(start with --control-public to open it)")
    host = request.headers.get("Host")
    if not public and host and not is_local_host(host, settings.allowed_hosts):
        raise TwilioError(20006, f"The simulator control plane answers requests to a loopback "
                                 f"host name only, not to {hostname(host)!r}")
    origin = request.headers.get("Origin")
    if origin is not None:
        parts = urlsplit(origin)
        same_origin = bool(host) and parts.netloc.lower() == host.strip().lower()
        if not parts.hostname or not (same_origin
                                      or is_local_host(parts.netloc, settings.allowed_hosts)):
            raise TwilioError(20006, f"The simulator control plane refuses calls from web pages "
                                     f"of other sites (Origin {origin})")
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        raise TwilioError(20006, "The simulator control plane refuses cross-site calls")
    if request.method in _CHANGING and not request.is_json:
        raise TwilioError(20422, f"{request.method} calls to the control plane take a JSON body "
                                 "(Content-Type: application/json; an empty body is fine)")
