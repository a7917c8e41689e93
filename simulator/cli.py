"""twilio-sim: the command line (also ``python -m simulator``)."""
from __future__ import annotations

import argparse
import signal
import sys

from .config import Settings

SNIPPET = """\
from twilio.rest import Client
from simulator.testing import SimulatorHttpClient
client = Client("{sid}", "{token}", http_client=SimulatorHttpClient("{url}"))"""


def _serve(args) -> int:
    from . import create_app
    from .server import Server
    settings = Settings(data_dir=None if args.memory else args.data, seed=args.seed,
                        fixtures=args.fixtures, control_plane_public=args.control_public)
    app = create_app(settings)
    sim = app.extensions["twilio_sim"]
    server = Server(app, host=args.host, port=args.port, threads=args.threads)

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    main = next(a for a in sim.store.find("accounts", lambda a: a["sid"] == a["owner_account_sid"]))
    url = server.base_url
    print(f"Twilio simulator listening on {url}", flush=True)
    print(f"  storage:      {'memory' if settings.data_dir is None else settings.data_dir}")
    print(f"  account SID:  {main['sid']}")
    print(f"  auth token:   {main['auth_token']}")
    print(f"  control plane {url}/_sim/v1/health")
    print("SDK:")
    print(SNIPPET.format(sid=main["sid"], token=main["auth_token"], url=url), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
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
