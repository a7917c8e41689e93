"""Serving the app on waitress, a production multi-threaded WSGI server."""
from __future__ import annotations

import threading

from waitress.channel import HTTPChannel
from waitress.server import create_server


class Server:
    def __init__(self, app, host: str = "127.0.0.1", port: int = 4010, threads: int = 8):
        self.app = app
        self._server = create_server(app, host=host, port=port, threads=threads,
                                     ident="twilio-sim", clear_untrusted_proxy_headers=True)
        self._thread: threading.Thread | None = None

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

    def serve_forever(self):
        """Serve until SIGINT/SIGTERM (raised as KeyboardInterrupt/SystemExit)."""
        self._server.run()

    def start(self) -> "Server":
        """Serve from a background thread (tests, benchmarks)."""
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
        serving from ``start()``, so it never polls a closed socket)."""
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
