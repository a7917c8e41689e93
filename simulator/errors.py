"""TwilioError and the one catalogue of the codes the simulator answers with.

Twilio's REST error body is ``{"code", "message", "more_info", "status"}``; the
SDK raises ``TwilioRestException`` from it. Every error the simulator returns
comes from ``CATALOGUE`` so that a code always carries the same HTTP status and
default message. (tests/unit/test_errors.py checks each code against Twilio's
own error list in ../shared/reference.)
"""
from __future__ import annotations

# code: (HTTP status, default message)
CATALOGUE: dict[int, tuple[int, str]] = {
    400: (400, "Bad Request"),
    20001: (400, "Unknown parameters"),
    20003: (401, "Authenticate"),
    20004: (405, "Method not allowed"),
    20005: (401, "Account not active"),
    20006: (403, "Access Denied"),
    20008: (403, "Resource not accessible with Test Account Credentials"),
    20404: (404, "The requested resource was not found"),
    20422: (400, "Invalid Parameter"),
    20500: (500, "Internal Server Error"),
    21101: (400, "Subaccounts cannot contain subaccounts"),
}


class TwilioError(Exception):
    def __init__(self, code: int, message: str | None = None, status: int | None = None):
        default_status, default_message = CATALOGUE[code]
        self.code = code
        self.status = status or default_status
        self.message = message or default_message
        super().__init__(f"{self.code}: {self.message}")

    def body(self) -> dict:
        return {
            "code": self.code,
            "message": self.message,
            "more_info": f"https://www.twilio.com/docs/errors/{self.code}",
            "status": self.status,
        }

    @classmethod
    def not_found(cls, path: str | None = None) -> "TwilioError":
        if path is None:
            from flask import request  # the public path of the request being answered
            from .hosts import public_path
            path = public_path(request.path)
        return cls(20404, f"The requested resource {path} was not found")

    @classmethod
    def invalid(cls, name: str, detail: str) -> "TwilioError":
        return cls(20422, f"Invalid parameter '{name}': {detail}")
