"""iam.twilio.com/v1: API keys (Standard and Restricted), SDK ``client.iam.v1``."""
from .. import product

bp = product("iam", "v1")
