"""The Flex UI's JSON under /flex/ (see routes.py)."""
from .routes import flex_ui

__all__ = ["flex_ui"]
