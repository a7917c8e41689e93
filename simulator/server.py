"""Serving the app on waitress, a production multi-threaded WSGI server."""
from __future__ import annotations

import json
import logging
import threading

from waitress.channel import HTTPChannel
from waitress.server import create_server

from .bridge.websocket import EventBridgeServer
from .errors import TwilioError
from .web import stop_streams

# Requests waiting for a worker thread: waitress warns on every one ("Task queue depth is
# N"), which floods stderr under any real load. Say it once per server process instead.
QUEUE_LOGGER = "waitress.queue"


class _OnceFilter(logging.Filter):
    def __init__(self):
        super().__init__()
        self.seen = False

    def filter(self, record: logging.LogRecord) -> bool:
        if self.seen:
            return False
        self.seen = True
        record.msg = (f"{record.getMessage()}: requests are waiting for a worker thread "
                      "(more threads: --threads N); this is said once")
        record.args = ()
        return True


def quiet_queue_warnings():
    """Each server says waitress's queue-depth warning once (a fresh filter per server, so
    an earlier server of the same process does not silence this one)."""
    logger = logging.getLogger(QUEUE_LOGGER)
    for old in [f for f in logger.filters if isinstance(f, _OnceFilter)]:
        logger.removeFilter(old)
    logger.addFilter(_OnceFilter())


def _not_ready(environ, start_response):
    body = json.dumps(TwilioError(20503, "The simulator is starting").body()).encode()
    start_response("503 Service Unavailable", [("Content-Type", "application/json"),
                                               ("Retry-After", "1")])
    return [body]


class EventBridgePortInUse(OSError):
    """The port asked for the event bridge's websocket is taken."""


class Server:
    """Binds at once (so a taken port fails before anything else happens); ``app`` may be
    given later (``server.app = app``): until then requests get a 503.

    The TaskRouter event bridge's websocket is served alongside on a port of its own:
    ``ws_port``, else the next port after ``port`` when it is free, else any free one."""

    def __init__(self, app=None, host: str = "127.0.0.1", port: int = 4010, threads: int = 8,
                 ws_port: int | None = None):
        quiet_queue_warnings()
        self._server = create_server(_not_ready, host=host, port=port, threads=threads,
                                     ident="twilio-sim", clear_untrusted_proxy_headers=True)
        self._thread: threading.Thread | None = None
        try:
            self.event_bridge = self._bind_event_bridge(host, port, ws_port)
        except OSError:
            self._close_all()
            raise
        if app is not None:
            self.app = app

    @staticmethod
    def _bind_event_bridge(host: str, port: int, ws_port: int | None) -> EventBridgeServer:
        if ws_port is not None:
            try:
                return EventBridgeServer(host, ws_port)
            except OSError as e:
                raise EventBridgePortInUse(e.errno, f"the event bridge's websocket port "
                                                    f"{ws_port}: {e.strerror or e}") from None
        try:
            return EventBridgeServer(host, port + 1 if 0 < port < 65535 else 0)
        except OSError:
            return EventBridgeServer(host, 0)

    @property
    def app(self):
        return self._server.application

    @app.setter
    def app(self, app):
        self._server.application = app
        simulator = getattr(app, "extensions", {}).get("twilio_sim")
        if simulator is not None:
            self.event_bridge.attach(simulator)

    @property
    def host(self) -> str:
        return self._server.effective_host

    @property
    def port(self) -> int:
        return int(self._server.effective_port)

    @property
    def base_url(self) -> str:
        host = self.host if ":" not in self.host else f"[{self.host}]"
        return f"http://{host}:{self.port}"

    @property
    def ws_port(self) -> int:
        return self.event_bridge.port

    def serve_forever(self):
        """Serve until SIGINT/SIGTERM (raised as KeyboardInterrupt/SystemExit)."""
        self.event_bridge.start()
        self._server.run()

    def start(self) -> "Server":
        """Serve from a background thread (tests, benchmarks)."""
        self.event_bridge.start()
        self._thread = threading.Thread(target=self._run_quietly, name="twilio-sim-server",
                                        daemon=True)
        self._thread.start()
        return self

    def _run_quietly(self):
        try:
            self._server.run()
        except (OSError, ValueError):
            pass  # sockets closed under the loop

    def stop(self):
        """Let running requests finish (up to 5 s), then close the listening socket
        and every connection, with their buffers (the loop's own thread does it when
        serving from ``start()``, so it never polls a closed socket). The event bridge's
        websockets are closed first (1001), so connected Workers see ``disconnected``."""
        self.event_bridge.stop()
        if hasattr(self.app, "extensions"):   # a simulator app (not the "starting" answer)
            stop_streams(self.app)   # open pages' live streams end now, not after the grace time
        self._server.task_dispatcher.shutdown()
        if self._thread is not None and self._thread.is_alive():
            try:
                self._server.trigger.pull_trigger(self._close_all)
            except OSError:
                pass  # the trigger is already closed
            self._thread.join(timeout=5)
        self._close_all()

    def _close_all(self):
        sockets = self._server._map
        for dispatcher in list(sockets.values()):
            try:
                if isinstance(dispatcher, HTTPChannel):
                    dispatcher.handle_close()  # also closes its (possibly file-backed) buffers
                else:
                    dispatcher.close()
            except OSError:
                pass
        sockets.clear()
