"""Pages for people, from the same app: the simulated Console (/console), the Flex UI
(/flex) and the inspector (/inspector), server-rendered from the domain, with a small
script (static/sim.js) that sends what a person does to the documented JSON APIs."""
from flask import Blueprint

from .common import page_headers, page_request, stop_streams
from .console_pages import console_pages
from .flex_pages import flex_pages
from .inspector_pages import inspector

# the stylesheet and the script, at /static/web/ (no CDN, no build step)
assets = Blueprint("web_assets", __name__, static_folder="static", static_url_path="/static/web",
                   template_folder="templates")
assets.before_request(page_request)
assets.after_request(page_headers)

pages = (assets, console_pages, flex_pages, inspector)

__all__ = ["pages", "stop_streams"]
