"""monitor.twilio.com/v1: Alerts (e.g. 11200 for a webhook that could not be delivered)."""
from .. import product

bp = product("monitor", "v1")
