"""What every web page shares: rendering, the browser-session cookies, who may open the
simulator's own tools, security headers, errors as pages, and live updates.

Pages only read (through the domain). What a person does on a page is sent by the page's
script as JSON to the documented JSON APIs (the Console's, the Flex UI's, the control plane),
so every rule and every Twilio error code of those APIs holds in the browser too. The only
writes here are the two cookies that remember a Console session or a Flex user token.
"""
from __future__ import annotations

import functools
import hashlib
import threading
import time
from urllib.parse import urlsplit

from flask import (Response, current_app, redirect, render_template, request,
                   stream_with_context)

from ..current import sim
from ..errors import TwilioError
from ..hosts import hostname, is_local_host, is_loopback_address
from ..request_log import UNJOURNALED

CONSOLE_COOKIE = "twilio_sim_console"   # a Console session token (not the JSON API's cookie)
FLEX_COOKIE = "twilio_sim_flex"         # a Flex user token

# Pages load nothing from elsewhere and run no inline script; nobody may frame them (the
# inspector's reset button must not be clickjacked).
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                               "base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}

# Live updates: a page asked for with ``Accept: text/event-stream`` (an EventSource on the
# page's own URL) streams the page again whenever it changes. A stream lasts STREAM_SECONDS
# (the browser reconnects), at most MAX_STREAMS at once so that open tabs never take every
# server thread; past that, and on a server without threads, the page polls instead.
MAX_STREAMS = 4
STREAM_SECONDS = 25.0
STREAM_INTERVAL = 0.5
KEEP_ALIVE_SECONDS = 5.0
_streams = threading.BoundedSemaphore(MAX_STREAMS)
STOPPING = "twilio_sim.pages.stopping"   # app.extensions: set, every stream of the app ends


def stop_streams(app) -> None:
    """End the app's live streams now: a server about to stop calls it, so that its threads
    are free at once instead of when their streams end (or its shutdown gives up on them)."""
    app.extensions.setdefault(STOPPING, threading.Event()).set()


def page_request():
    """``before_request`` of every page blueprint: browsing is not journaled."""
    request.environ[UNJOURNALED] = True


def page_headers(response: Response) -> Response:
    """``after_request`` of every page blueprint."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html":
        response.headers["Cache-Control"] = "no-store"
        response.vary.add("Accept")
    return response


def page(template: str, http_status: int = 200, **context):
    return render_template(f"web/{template}", **context), http_status


def error_page(e: TwilioError):
    """A refusal as a readable page, with Twilio's code (JSON for the JSON endpoints)."""
    if request.is_json or request.method != "GET":
        return e.body(), e.status
    return page("error.html", e.status, error=e)


def to(endpoint_url: str):
    return redirect(endpoint_url, 303)


# -- who may open the simulator's own tools -----------------------------------------------------
def local_only():
    """The inspector and the simulated identity provider show credentials and act as anyone:
    like the control plane, they answer loopback clients, under a loopback host name (a
    DNS-rebinding page reaches 127.0.0.1 under its own name), unless ``--control-public``."""
    settings = sim().settings
    if settings.control_plane_public:
        return
    address = request.remote_addr
    if address is not None and not is_loopback_address(address):
        raise TwilioError(20006, "The simulator's inspector answers loopback clients only "
                                 "(start with --control-public to open it)")
    host = request.host or ""
    if not is_local_host(host, settings.allowed_hosts):
        raise TwilioError(20006, f"The simulator's inspector answers requests to a loopback "
                                 f"host name only, not to {hostname(host).rstrip('.')!r}")


def same_origin_json():
    """A page's own write (the browser-session cookies): JSON, from this origin. A page of
    another site can send neither without a CORS preflight, which is never answered."""
    if not request.is_json:
        raise TwilioError(20422, "This call takes a JSON body (Content-Type: application/json)")
    origin = request.headers.get("Origin")
    if origin is not None and urlsplit(origin).netloc.lower() != (request.host or "").lower():
        raise TwilioError(20006, f"Refused: a call from another site (Origin {origin})")
    if request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site"):
        raise TwilioError(20006, "Refused: a call from another site")


def set_cookie(response: Response, name: str, value: str, path: str) -> Response:
    response.set_cookie(name, value, path=path, httponly=True, samesite="Strict")
    return response


def clear_cookie(response: Response, name: str, path: str) -> Response:
    response.delete_cookie(name, path=path, httponly=True, samesite="Strict")
    return response


# -- live pages ----------------------------------------------------------------------------------
def live(view):
    """A page that updates itself: its script opens an EventSource on the page's URL."""
    @functools.wraps(view)
    def page_or_stream(*args, **kwargs):
        if "text/event-stream" not in request.headers.get("Accept", ""):
            return view(*args, **kwargs)
        if not request.environ.get("wsgi.multithread"):
            return "", 204   # one thread: a stream would hold it; the page polls
        return _stream(lambda: view(*args, **kwargs))
    return page_or_stream


def _rendered(result) -> tuple[str, str | None]:
    """(HTML, or the location a redirect goes to)."""
    if isinstance(result, tuple):
        result = result[0]
    if isinstance(result, Response):
        if 300 <= result.status_code < 400:
            return "", result.location
        return result.get_data(as_text=True), None
    return str(result), None


def _event(name: str, data: str, event_id: str | None = None) -> bytes:
    lines = "".join(f"data: {line}\n" for line in data.split("\n"))
    return ((f"id: {event_id}\n" if event_id else "") + f"event: {name}\n{lines}\n").encode()


def _stream(render) -> Response:
    last_seen = request.headers.get("Last-Event-ID")
    # waitress tells when the browser went away (a closed tab), without waiting for a write
    gone = request.environ.get("waitress.client_disconnected") or (lambda: False)
    stopping = current_app.extensions.setdefault(STOPPING, threading.Event())

    def events():
        if not _streams.acquire(blocking=False):
            yield _event("busy", "too many live pages open: polling instead")
            return
        try:
            yield b"retry: 1000\n\n"
            sent, quiet_since = last_seen, time.monotonic()
            deadline = quiet_since + STREAM_SECONDS
            while time.monotonic() < deadline and not gone() and not stopping.is_set():
                try:
                    html, location = _rendered(render())
                except TwilioError as e:   # e.g. the session ended: the page reloads
                    html, location = "", request.url if e.status in (401, 403, 404) else None
                if location:
                    yield _event("gone", location)
                    return
                digest = hashlib.blake2b(html.encode(), digest_size=12).hexdigest()
                if digest != sent:
                    sent, quiet_since = digest, time.monotonic()
                    yield _event("page", html, digest)
                elif time.monotonic() - quiet_since > KEEP_ALIVE_SECONDS:
                    quiet_since = time.monotonic()
                    yield b": still here\n\n"   # a closed tab shows up as a failed write
                stopping.wait(STREAM_INTERVAL)
        finally:
            _streams.release()

    response = Response(stream_with_context(events()), mimetype="text/event-stream",
                        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
    response.direct_passthrough = True   # bytes, for the server alone: nothing reads them before
    return response
