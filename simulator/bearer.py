"""The Flex user token a request carries, for the doors that accept one (the Flex
REST API and the Flex UI)."""
from __future__ import annotations


def token_from_request(request) -> str | None:
    """A Flex user token from ``X-Flex-JWE`` or ``Authorization: Bearer``."""
    token = request.headers.get("X-Flex-JWE")
    if token:
        return token.strip()
    auth = request.headers.get("Authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    return None
