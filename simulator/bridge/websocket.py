"""The event bridge's websocket (``wsServer``), on a port of its own (waitress does not
upgrade connections), served by the ``websockets`` package's threaded server.

A Worker's app opens ``ws://HOST:PORT/v1/wschannels?token=<JWT>&closeExistingSessions=...
&clientVersion=...[&setWorkerOfflineIfDisconnected=...]``
(``lib/signaling/EventBridgeSignaling.js``). A token that does not verify is refused at the
handshake with Twilio's error body (401 or 403), as the SDK then reports it: ``error`` and
``disconnected``. Once open, the first frame is ``init`` ``{channel_id, account_sid,
workspace_sid, token_lifetime}``; then the Worker's events (``push.py``), an empty frame every
``HEARTBEAT_SECONDS`` (the SDK reconnects after 30 s without a frame), and ``tokenExpired``
once the token's expiry passes on the simulator clock. When the simulator stops, every
websocket is closed (1001), which the SDK reports as ``disconnected``.
"""
from __future__ import annotations

import json
import logging
import queue
import threading
import time
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.protocol import State
from websockets.sync.server import serve

from ..domain.taskrouter.event_bridge import (WS_PATH, connect, disconnect, expired, hub,
                                              lifetime_ms, serve_at, verify_token)
from ..errors import TwilioError
from .push import frame

log = logging.getLogger("twilio_sim")

HEARTBEAT_SECONDS = 15.0
WAKE_SECONDS = 0.25          # how often a connection looks at the clock (token expiry)
STOPPED = (1001, "The simulator stopped")


def _flag(query: dict, name: str, default: bool) -> bool:
    values = query.get(name)
    return default if not values else values[-1].strip().lower() != "false"


class EventBridgeServer:
    """Binds at once (a taken port fails before anything else happens); serves from a thread
    once ``start(simulator)`` is called."""

    def __init__(self, host: str, port: int):
        self._server = serve(self._handle, host, port, process_request=self._check,
                             compression=None, server_header="twilio-sim",
                             logger=logging.getLogger("twilio_sim.event_bridge"))
        self.sim = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.socket.getsockname()[1])

    def attach(self, simulator) -> None:
        """The Simulator whose Workers connect here."""
        self.sim = simulator
        serve_at(simulator, self.port)

    def start(self) -> "EventBridgeServer":
        if self._thread is None:
            self._thread = threading.Thread(target=self._server.serve_forever,
                                            name="twilio-sim-event-bridge", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        """Close every websocket (1001), then the listening socket."""
        if self.sim is not None:
            serve_at(self.sim, None)
            for session in hub(self.sim).all():
                session.close(*STOPPED)
        if self._thread is None:
            self._server.socket.close()
            return
        self._server.shutdown()
        self._thread.join(timeout=5)

    # -- the handshake --------------------------------------------------------------------------
    def _refuse(self, connection, error: TwilioError):
        response = connection.respond(error.status, json.dumps(error.body()))
        del response.headers["Content-Type"]
        response.headers["Content-Type"] = "application/json"
        return response

    def _check(self, connection, request):
        parts = urlsplit(request.path)
        if parts.path.rstrip("/") != WS_PATH and not parts.path.startswith(WS_PATH + "/"):
            return self._refuse(connection, TwilioError.not_found(parts.path))
        if self.sim is None:
            return self._refuse(connection, TwilioError(20503, "The simulator is starting"))
        query = parse_qs(parts.query)
        try:
            grant = verify_token(self.sim, (query.get("token") or [None])[-1])
        except TwilioError as e:
            return self._refuse(connection, e)
        connection.event_bridge = (grant, _flag(query, "closeExistingSessions", False),
                                   _flag(query, "setWorkerOfflineIfDisconnected", True))
        return None

    # -- an open websocket ------------------------------------------------------------------------
    def _handle(self, connection):
        s = self.sim
        grant, close_existing, offline = connection.event_bridge
        outbox: queue.SimpleQueue = queue.SimpleQueue()
        session = connect(s, grant, outbox.put, lambda code, reason: outbox.put((code, reason)),
                          close_existing=close_existing, offline_on_disconnect=offline)
        try:
            connection.send(frame("init", {
                "channel_id": grant.worker_sid, "account_sid": grant.account_sid,
                "workspace_sid": grant.workspace_sid, "token_lifetime": lifetime_ms(s, grant)}))
            last = time.monotonic()
            while connection.protocol.state is State.OPEN:
                try:
                    item = outbox.get(timeout=WAKE_SECONDS)
                except queue.Empty:
                    item = None
                if isinstance(item, tuple):
                    connection.close(*item)
                    break
                if item is not None:
                    connection.send(item)
                    last = time.monotonic()
                if not session.expiry_told and expired(s, grant):
                    session.expiry_told = True
                    connection.send(frame("tokenExpired", None))
                    last = time.monotonic()
                if time.monotonic() - last >= HEARTBEAT_SECONDS:
                    connection.send("")
                    last = time.monotonic()
        except ConnectionClosed:
            pass
        finally:
            try:
                disconnect(s, session)
            except Exception:  # noqa: BLE001 - a closing socket never takes the server down
                log.exception("event bridge: disconnecting %s failed", grant.worker_sid)
