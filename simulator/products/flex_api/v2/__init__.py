"""flex-api.twilio.com/v2: Flex users of an instance."""
from .. import flex_product

bp = flex_product("v2")
