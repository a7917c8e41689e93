"""Twilio host labels <-> local path prefixes, the public URLs payloads carry, and which
host names and client addresses are this machine's own.

``api.twilio.com/2010-04-01/...`` is served locally at ``/api/2010-04-01/...``;
a request that still carries a Twilio host (``Host: flex-api.twilio.com``, or the
SDK's edge/region form ``flex-api.sydney.au1.twilio.com``) is routed the same way.
"""
from __future__ import annotations

import ipaddress
import re

LABELS = ("api", "flex-api", "taskrouter", "messaging", "accounts", "iam", "monitor",
          "conversations", "studio")

_TWILIO_HOST = re.compile(
    r"^(?P<label>[a-z0-9-]+)(?:\.[a-z0-9-]+){0,2}\.twilio\.com(?::\d+)?$", re.IGNORECASE)


def label_of_host(host: str | None) -> str | None:
    """The product label of a Twilio host name, or None for any other host."""
    m = _TWILIO_HOST.match(host or "")
    if m and m.group("label").lower() in LABELS:
        return m.group("label").lower()
    return None


def public_url(label: str, path: str) -> str:
    """The URL real Twilio would give for ``path`` on product ``label``."""
    return f"https://{label}.twilio.com{path}"


def public_path(local_path: str) -> str:
    """``/api/2010-04-01/x`` -> ``/2010-04-01/x`` (the path as Twilio shows it)."""
    first, _, rest = local_path.lstrip("/").partition("/")
    return "/" + rest if first in LABELS else local_path


def local_path(url: str) -> str:
    """``https://api.twilio.com/2010-04-01/x?y`` -> ``/api/2010-04-01/x?y``;
    a URL on any other host is returned as its path unchanged."""
    m = re.match(r"^https?://([^/]+)(/.*)?$", url)
    if not m:
        return url
    host, path = m.group(1), m.group(2) or "/"
    label = label_of_host(host)
    return f"/{label}{path}" if label else path


class HostRouter:
    """WSGI middleware: route ``Host: <label>.twilio.com`` like ``/<label>/...``."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        label = label_of_host(environ.get("HTTP_HOST"))
        if label:
            environ["PATH_INFO"] = f"/{label}{environ.get('PATH_INFO', '')}"
        return self.app(environ, start_response)


# -- this machine's own names -------------------------------------------------------------------
def is_loopback_address(addr: str | None) -> bool:
    """127.0.0.0/8, ::1 and their IPv4-mapped form ``::ffff:127.0.0.1``."""
    if not addr:
        return False
    try:
        ip = ipaddress.ip_address(addr.split("%")[0].strip("[]"))
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return (mapped or ip).is_loopback


def hostname(host: str) -> str:
    """``Host`` without its port: ``[::1]:4010`` -> ``::1``, ``localhost:4010`` -> ``localhost``."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    if host.count(":") == 1:
        return host.partition(":")[0]
    return host  # a bare IPv6 literal, or no port


def is_local_host(host: str, extra: tuple[str, ...] = ()) -> bool:
    """A loopback host name (``localhost``, ``*.localhost``, ``127.x.x.x``, ``[::1]``) or one
    of ``extra`` (the host the server was started on). A DNS-rebinding page reaches 127.0.0.1
    under its own name, which this refuses."""
    name = hostname(host).rstrip(".")
    return (name == "localhost" or name.endswith(".localhost") or is_loopback_address(name)
            or name in {h.lower().strip("[]") for h in extra})
