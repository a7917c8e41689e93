"""Browser tests: the pages in a real headless Chromium, driven by Playwright for Python.

Chromium is the system's (Debian: ``apt-get install chromium``; or set
``TWILIO_SIM_CHROMIUM`` to any Chromium or Chrome binary); Playwright's own browser download
(``playwright install``) is never needed. Without Chromium or Playwright the tests are
skipped with the command that installs them, except with ``CI=true``, where they fail.

The simulator runs as ``twilio-sim serve --memory`` in a child process (a real socket, so
Server-Sent Events stream as they do for a person), reset before each test. Each journey
saves screenshots under ``build/browser-artifacts/<test>/`` (or ``$TWILIO_SIM_ARTIFACTS``);
the run prints where.
"""
from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest
import requests

from served import Served

sys.path.insert(0, str(Path(__file__).resolve().parent))   # steps.py

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("TWILIO_SIM_ARTIFACTS") or ROOT / "build" / "browser-artifacts")
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL = ("install them with: apt-get install -y chromium (Debian/Ubuntu) and "
           "pip install -e '.[browser]'; or set TWILIO_SIM_CHROMIUM to a Chromium binary")
SPY = """
// what the page did with notifications, for the tests to read
window.__notifications = [];
window.__permissionAsked = 0;
if (window.Notification) {
  const Real = window.Notification;
  class Spy extends Real {
    constructor(title, options) {
      super(title, options);
      window.__notifications.push({ title, body: (options || {}).body || "" });
    }
  }
  Spy.requestPermission = (...args) => {
    window.__permissionAsked += 1;
    return Real.requestPermission(...args);
  };
  Object.defineProperty(Spy, "permission", { get: () => Real.permission });
  window.Notification = Spy;
}
"""


def _missing(what: str):
    message = f"browser tests: {what} is missing; {INSTALL}"
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def chromium_path() -> str | None:
    wanted = os.environ.get("TWILIO_SIM_CHROMIUM")
    if wanted:
        return wanted if Path(wanted).exists() else None
    return next(filter(None, (shutil.which(name) for name in CANDIDATES)), None)


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        _missing("Chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=executable, headless=True)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """A served simulator (memory, seeded), for the whole session."""
    served = Served("--memory", "--seed", "7", "--threads", "16",
                    cwd=tmp_path_factory.mktemp("browser-sim"))
    yield served
    served.kill()


@pytest.fixture
def base_url(site) -> str:
    r = requests.post(site.url + "/_sim/v1/reset", json={}, timeout=30)
    assert r.status_code == 200, r.text
    return site.url


@pytest.fixture
def context(browser, base_url):
    """A fresh browser profile (cookies, storage); the page's notifications are spied on."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 860}, base_url=base_url)
    ctx.add_init_script(SPY)
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


class Shots:
    """Numbered screenshots of one test, saved as artifacts."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.n = 0

    def __call__(self, page, name: str, full_page: bool = False):
        self.n += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(self.folder / f"{self.n:02d}-{name}.png"), full_page=full_page)


@pytest.fixture
def shots(request) -> Shots:
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    folder = ARTIFACTS / name
    if folder.exists():
        shutil.rmtree(folder)
    return Shots(folder)


def pytest_terminal_summary(terminalreporter):
    if ARTIFACTS.exists() and any(ARTIFACTS.iterdir()):
        terminalreporter.write_line(f"browser tests: screenshots in {ARTIFACTS}")
