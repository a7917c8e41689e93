"""api.twilio.com/2010-04-01: the core REST API."""
from .. import product

bp = product("api", "2010-04-01")
