"""accounts.twilio.com/v1: Auth Token rotation (``client.accounts.v1``)."""
from .. import product

bp = product("accounts", "v1")
