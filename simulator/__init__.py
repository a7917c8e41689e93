"""A local Twilio + Twilio Flex simulator: Twilio's REST API from a TinyDB store."""

__version__ = "0.1.0"


def create_app(settings=None):
    # lazy: importing the package (its rules, its pytest plugin) need not load Flask
    from .app import create_app as _create_app
    return _create_app(settings)
