"""Recording each Twilio request and response for GET /_sim/v1/journal."""
from __future__ import annotations

import json

from flask import request
from werkzeug.datastructures import MultiDict

from .hosts import public_path
from .current import sim


# set in a request's environ by the web pages (simulator/web/): a person browsing the
# Console, the Flex UI or the inspector is not a Twilio request, so it is not journaled
UNJOURNALED = "twilio_sim.unjournaled"


def record(response):
    req = request._get_current_object()   # one look-up of the request, not one per field
    path = req.path
    if path.startswith("/_sim/") or req.environ.get(UNJOURNALED):
        return response
    s = sim()
    method = req.method
    # kept as they are (the parsed form is immutable); made readable when the journal is read
    s.record_request({
        "time": s.now(),
        "method": method,
        "path": path,
        "query": req.query_string,
        "params": req.form if method in ("POST", "PUT") and req.form else {},
        "status": response.status_code,
        "content_type": response.content_type,
        "body": b"" if response.direct_passthrough else response.get_data(),
    })
    return response


def readable(entry: dict) -> dict:
    """A journal entry as the journal shows it: public path, query text, parameters as lists,
    body decoded (done when read, not on the hot path)."""
    body = entry["body"]
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    try:
        body = json.loads(body) if body else None
    except ValueError:
        pass
    params, query = entry["params"], entry["query"]
    return {**entry, "public_path": entry.get("public_path") or public_path(entry["path"]),
            "query": query.decode("latin-1") if isinstance(query, bytes) else query,
            "params": params.to_dict(flat=False) if isinstance(params, MultiDict) else params,
            "body": body}
