"""Serving the app on waitress, a production multi-threaded WSGI server."""
from __future__ import annotations

import threading

from waitress import wasyncore
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
            pass  # sockets closed under the loop by stop()

    def stop(self):
        self._server.task_dispatcher.shutdown()
        wasyncore.close_all(self._server._map, ignore_all=True)
        if self._thread:
            self._thread.join(timeout=5)
