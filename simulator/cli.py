"""twilio-sim: the command line (also ``python -m simulator``).

Every failure to start is one line on stderr, never a traceback: exit status 2 for a
wrong command line (argparse's convention), 1 for anything else.
"""
from __future__ import annotations

import argparse
import json
import signal
import socket
import sys
from pathlib import Path

from . import __version__, garbage
from .app import create_app
from .config import Settings
from .domain.accounts import main_accounts
from .domain.fixtures import FixturesError, read_fixtures
from .runtime import Simulator
from .scenarios.cli import add_commands as add_scenario_commands
from .domain.taskrouter.event_bridge import urls as event_bridge_urls
from .server import EventBridgePortInUse, Server
from .store import FolderInUse

PROG = "twilio-sim"
DEFAULT_DATA = ".twilio-sim"
THREADS_MAX = 1024
SNIPPET = """\
from twilio.rest import Client
from simulator.testing import SimulatorHttpClient
client = Client("{sid}", "{token}", http_client=SimulatorHttpClient("{url}"))"""


class StartError(Exception):
    """Why ``serve`` cannot start, in one line."""


def _fail(message: str) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr, flush=True)
    return 1


class _Help(argparse.HelpFormatter):
    """Shows each option's default, when it has one worth showing."""

    def _get_help_string(self, action):
        text = action.help or ""
        if action.default not in (None, False, argparse.SUPPRESS) and "default" not in text:
            text += " (default: %(default)s)"
        return text


# -- argument types ---------------------------------------------------------------------------
def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port: use 0 to 65535 "
                                         "(0 picks a free one)")
    return port


def _threads(text: str) -> int:
    try:
        threads = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of threads") from None
    if not 1 <= threads <= THREADS_MAX:
        raise argparse.ArgumentTypeError(f"use 1 to {THREADS_MAX} threads, not {threads}")
    return threads


def _seed(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


# -- starting ---------------------------------------------------------------------------------
def _check_fixtures(settings: Settings):
    """A --fixtures file is read and loaded into a throwaway in-memory simulator first, so
    a bad one is reported before anything is written to --data."""
    read_fixtures(settings.fixtures_path)
    trial = Simulator(Settings(seed=settings.seed, fixtures=settings.fixtures))
    try:
        trial.seed()
    finally:
        trial.close()


def _bind(args) -> Server:
    try:
        return Server(host=args.host, port=args.port, threads=args.threads,
                      ws_port=args.ws_port)
    except EventBridgePortInUse as e:
        raise StartError(f"{e.strerror}; choose another with --ws-port, or --ws-port 0 for "
                         "any free one") from None
    except (socket.gaierror, ValueError):  # waitress: "Invalid host/port specified."
        raise StartError(f"cannot serve on --host {args.host}: not an address or a host "
                         "name this machine resolves") from None
    except OverflowError:
        raise StartError(f"cannot serve on --port {args.port}") from None
    except OSError as e:
        if e.errno in (98, 48, 10048):  # EADDRINUSE (Linux, macOS, Windows)
            raise StartError(f"port {args.port} on {args.host} is already in use (another "
                             "twilio-sim?); choose another with --port, or --port 0 for any "
                             "free one") from None
        raise StartError(f"cannot serve on {args.host}:{args.port}: "
                         f"{e.strerror or e}") from None


def _state_problem(data_dir: str, error: Exception) -> str:
    """What is wrong with a --data folder that did not load, and how to recover."""
    state = Path(data_dir) / "state.json"
    if state.exists():
        try:
            with open(state, encoding="utf-8") as fh:
                loaded = json.load(fh)
            shape_ok = isinstance(loaded, dict) and all(isinstance(t, dict)
                                                        for t in loaded.values())
        except (ValueError, OSError) as e:
            return (f"the saved state {state} is corrupt or truncated ({e}); move it away "
                    "(or delete the folder) to start again from the fixtures, or restore a "
                    "copy of it")
        if not shape_ok:
            return (f"the saved state {state} is not a twilio-sim state file; move it away "
                    "(or delete the folder) to start again from the fixtures")
    return (f"cannot load the saved state in {data_dir}: {error}; move the folder away to "
            "start again from the fixtures")


def _make_app(settings: Settings):
    try:
        return create_app(settings)
    except FolderInUse as e:
        raise StartError(str(e)) from None
    except FixturesError as e:
        raise StartError(str(e)) from None
    except (PermissionError, NotADirectoryError, FileExistsError) as e:
        raise StartError(f"cannot use the data folder {settings.data_dir}: "
                         f"{e.strerror or e}") from None
    except Exception as e:  # noqa: BLE001 - the saved state did not load
        if settings.data_dir is None:
            raise
        raise StartError(_state_problem(settings.data_dir, e)) from None


def _serve(args) -> int:
    data_dir = None if args.memory else (args.data or DEFAULT_DATA)
    wildcard = args.host in ("0.0.0.0", "::", "")
    settings = Settings(data_dir=data_dir, seed=args.seed, fixtures=args.fixtures,
                        control_plane_public=args.control_public,
                        allowed_hosts=() if wildcard else (args.host,))
    try:
        if args.fixtures:
            _check_fixtures(settings)
        server = _bind(args)  # before the store: a taken port leaves --data untouched
    except FixturesError as e:
        return _fail(str(e))
    except StartError as e:
        return _fail(str(e))
    try:
        app = _make_app(settings)
    except StartError as e:
        server.stop()
        return _fail(str(e))
    server.app = app
    sim = app.extensions["twilio_sim"]
    garbage.freeze_after_full_collections()   # this process exists to serve

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        _banner(server, settings, sim)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        # a second SIGTERM/SIGINT must not cut the flush short
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        server.stop()
        sim.close()
        print("Twilio simulator stopped; state flushed.", flush=True)
    return 0


def _banner(server: Server, settings: Settings, sim):
    main = next(iter(main_accounts(sim)), None)
    url = server.base_url
    if server.host in ("0.0.0.0", "::"):  # every interface: print one a client can use
        url = f"http://{'127.0.0.1' if server.host == '0.0.0.0' else '[::1]'}:{server.port}"
    print(f"Twilio simulator listening on {url}", flush=True)
    print(f"  storage:      "
          f"{'memory' if settings.data_dir is None else Path(settings.data_dir).resolve()}")
    if main is None:
        print("  (the store holds no main account)")
    else:
        print(f"  account SID:  {main['sid']}")
        print(f"  auth token:   {main['auth_token']}")
    print(f"  control plane {url}/_sim/v1/health")
    print(f"  event bridge: {json.dumps(event_bridge_urls(sim, url))}")
    if main is not None:
        print("SDK:")
        print(SNIPPET.format(sid=main["sid"], token=main["auth_token"], url=url))
    sys.stdout.flush()


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog=PROG, description="A local Twilio + Twilio Flex simulator: Twilio's REST API, "
                               "the Console and Flex, offline.")
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = sub.add_parser(
        "serve", help="serve the Twilio REST API locally",
        description="Serve the Twilio REST API, the simulated Console and Flex, and the "
                    "/_sim/v1/ control plane.",
        formatter_class=_Help)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=_port, default=4010, help="0 picks a free port")
    storage = serve.add_mutually_exclusive_group()
    storage.add_argument("--data", default=None, metavar="DIR",
                         help=f"folder the state persists in (default: {DEFAULT_DATA} in the "
                              "current folder)")
    storage.add_argument("--memory", action="store_true",
                         help="keep the state in memory only (nothing written)")
    serve.add_argument("--seed", type=_seed, default=None,
                       help="same SIDs, tokens and fake data on every run")
    serve.add_argument("--fixtures", default=None, metavar="FILE",
                       help="a fixtures file instead of the embedded default data")
    serve.add_argument("--ws-port", type=_port, default=None,
                       help="port of the TaskRouter event bridge's websocket (default: the "
                            "next port after --port when it is free, else any free one)")
    serve.add_argument("--threads", type=_threads, default=8,
                       help=f"worker threads (1 to {THREADS_MAX})")
    serve.add_argument("--control-public", action="store_true",
                       help="answer /_sim/ from non-loopback clients too")
    serve.set_defaults(run=_serve)
    add_scenario_commands(sub)   # replay, record, scenario validate|schema
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
