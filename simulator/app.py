"""create_app(settings): the only way to build the simulator app."""
from __future__ import annotations

from flask import Flask, request
from werkzeug.exceptions import HTTPException

from .config import Settings
from .errors import CATALOGUE, TwilioError
from .hosts import HostRouter, public_path
from .runtime import Simulator


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings()
    app = Flask("simulator")
    app.json.sort_keys = False
    app.json.compact = True

    from .products import blueprints
    for bp in blueprints():
        app.register_blueprint(bp)
    from .control.routes import control
    app.register_blueprint(control)
    from .console import console
    from .control.flex import control_flex
    from .flex_ui import flex_ui
    for bp in (console, flex_ui, control_flex):  # issue 4: Console, Flex UI, their control plane
        app.register_blueprint(bp)
    from .control.messaging import messaging_control
    app.register_blueprint(messaging_control)

    from .request_log import record
    from .scheduler import before_request as run_due_steps
    app.before_request(run_due_steps)
    app.after_request(record)
    _register_errors(app)

    app.extensions["twilio_sim"] = simulator = Simulator(settings)
    with app.app_context():
        simulator.start()
    app.wsgi_app = HostRouter(app.wsgi_app)
    return app


def _register_errors(app: Flask):
    @app.errorhandler(TwilioError)
    def twilio_error(e: TwilioError):
        if e.status == 401:  # as Twilio does, so curl and browsers know to send credentials
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
            code = e.code if e.code in CATALOGUE else 400
            err = TwilioError(code, e.description, status=e.code)
        return err.body(), err.status

    @app.errorhandler(Exception)
    def unexpected(e: Exception):
        app.logger.exception("Unhandled error answering %s %s", request.method, request.path)
        err = TwilioError(20500, "The simulator hit an internal error; see its log")
        return err.body(), err.status
