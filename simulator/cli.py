"""twilio-sim: the command line (also ``python -m simulator``)."""
from __future__ import annotations

import argparse
import signal
import sys

from .app import create_app
from .config import Settings
from .domain.accounts import main_accounts
from .server import Server
from .store import FolderInUse

SNIPPET = """\
from twilio.rest import Client
from simulator.testing import SimulatorHttpClient
client = Client("{sid}", "{token}", http_client=SimulatorHttpClient("{url}"))"""


def _serve(args) -> int:
    settings = Settings(data_dir=None if args.memory else args.data, seed=args.seed,
                        fixtures=args.fixtures, control_plane_public=args.control_public)
    try:
        app = create_app(settings)
    except FolderInUse as e:
        print(f"twilio-sim: {e}", file=sys.stderr, flush=True)
        return 1
    sim = app.extensions["twilio_sim"]
    try:
        server = Server(app, host=args.host, port=args.port, threads=args.threads)
    except BaseException:  # e.g. the port is taken: still close the store cleanly
        sim.close()
        raise

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        main = next(iter(main_accounts(sim)), None)
        url = server.base_url
        if server.host in ("0.0.0.0", "::"):  # every interface: print one a client can use
            url = f"http://{'127.0.0.1' if server.host == '0.0.0.0' else '[::1]'}:{server.port}"
        print(f"Twilio simulator listening on {url}", flush=True)
        print(f"  storage:      {'memory' if settings.data_dir is None else settings.data_dir}")
        if main is None:
            print("  (the store holds no main account)")
        else:
            print(f"  account SID:  {main['sid']}")
            print(f"  auth token:   {main['auth_token']}")
        print(f"  control plane {url}/_sim/v1/health")
        if main is not None:
            print("SDK:")
            print(SNIPPET.format(sid=main["sid"], token=main["auth_token"], url=url))
        sys.stdout.flush()
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="twilio-sim", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the Twilio REST API locally")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=4010, help="0 picks a free port")
    serve.add_argument("--data", default=".twilio-sim", help="folder the state persists in")
    serve.add_argument("--memory", action="store_true", help="keep state in memory only")
    serve.add_argument("--seed", type=int, default=None, help="reproducible SIDs and fake data")
    serve.add_argument("--fixtures", default=None, help="a fixtures file instead of the default")
    serve.add_argument("--threads", type=int, default=8)
    serve.add_argument("--control-public", action="store_true",
                       help="answer /_sim/ from non-loopback clients too")
    serve.set_defaults(run=_serve)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
