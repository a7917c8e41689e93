"""X-Twilio-Signature: Base64(HMAC-SHA1(AuthToken, URL + sorted name+value pairs))."""
from __future__ import annotations

import base64
import hashlib
import hmac


def signature(auth_token: str, url: str, params: dict | list | None) -> str:
    pairs = params.items() if isinstance(params, dict) else (params or [])
    by_name: dict[str, list[str]] = {}
    for name, value in pairs:
        values = value if isinstance(value, list) else [value]
        by_name.setdefault(name, []).extend("" if v is None else str(v) for v in values)
    s = url + "".join(name + v for name in sorted(by_name) for v in sorted(by_name[name]))
    mac = hmac.new(auth_token.encode("utf-8"), s.encode("utf-8"), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode("ascii")
