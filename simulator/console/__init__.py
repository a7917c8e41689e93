"""The simulated Twilio Console: a JSON API under /console/ (see routes.py)."""
from .routes import console

__all__ = ["console"]
