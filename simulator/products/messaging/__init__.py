"""messaging.twilio.com/v1: Messaging Services (sender pools) and Tollfree Verifications."""
from .. import product

bp = product("messaging", "v1")
