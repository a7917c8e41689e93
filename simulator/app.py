"""create_app(settings): the only way to build the simulator app."""
from __future__ import annotations

from flask import Flask, request
from werkzeug.exceptions import HTTPException

from .bridge import event_bridge
from .config import Settings
from .console import console
from .control.contact_center import contact_center_control
from .control.faults import faults
from .control.flex import control_flex
from .control.messaging import messaging_control
from .control.routes import control
from .current import sim
from .errors import TwilioError
from .flex_ui import flex_ui
from .hosts import HostRouter, public_path
from .products import blueprints
from .request_log import record
from .runtime import Simulator
from .web import pages
from .wire import check_utf8


# the Twilio code of an HTTP error werkzeug raises (other 4xx: 20422, 5xx: 20500)
HTTP_CODES = {413: 20413}
# the codes whose 401 asks for HTTP Basic credentials (a Flex sign-in's 401 does not)
BASIC_AUTH_CODES = (20003, 20005)


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings()
    app = Flask("simulator")
    app.json.sort_keys = False
    app.json.compact = True
    # OPTIONS is a method like any other: 405 (20004) where the route does not take it.
    # No page of the simulator is called cross-origin, so no CORS preflight is answered.
    app.config["PROVIDE_AUTOMATIC_OPTIONS"] = False

    for bp in (*blueprints(), control, console, flex_ui, control_flex, messaging_control, faults,
               contact_center_control, event_bridge, *pages):
        app.register_blueprint(bp)
    app.before_request(check_utf8)
    app.before_request(_run_due_steps)
    app.after_request(record)
    _register_errors(app)

    app.extensions["twilio_sim"] = simulator = Simulator(settings)
    simulator.start()
    app.wsgi_app = HostRouter(app.wsgi_app)
    return app


def _run_due_steps():
    """Before answering anything, run the time-driven steps that are due; once served by a
    threaded WSGI server, a ticker also runs them as real time passes."""
    s = sim()
    if request.environ.get("wsgi.multithread"):
        s.served = True
        s.scheduler.start_ticker()
    s.scheduler.run_due(blocking=False)


def _register_errors(app: Flask):
    @app.errorhandler(TwilioError)
    def twilio_error(e: TwilioError):
        if e.unnamed:  # a 20404 raised below the doors: name the path that was asked for
            e = TwilioError.not_found(public_path(request.path))
        if e.code in BASIC_AUTH_CODES:  # as Twilio does, so curl and browsers send credentials
            return e.body(), 401, {"WWW-Authenticate": 'Basic realm="Twilio API"'}
        return e.body(), e.status

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        if e.code == 404:
            err = TwilioError.not_found(public_path(request.path))
        elif e.code == 405:
            err = TwilioError(20004, f"Method {request.method} is not allowed on "
                                     f"{public_path(request.path)}")
        else:
            code = HTTP_CODES.get(e.code, 20500 if e.code >= 500 else 20422)
            err = TwilioError(code, e.description, status=e.code)
        return err.body(), err.status

    @app.errorhandler(Exception)
    def unexpected(e: Exception):
        app.logger.exception("Unhandled error answering %s %s", request.method, request.path)
        err = TwilioError(20500, "The simulator hit an internal error; see its log")
        return err.body(), err.status
