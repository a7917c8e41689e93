"""The README's twilio-node recipe, proven: the npm ``twilio`` package runs the README's
snippet against a served simulator (fetch the account, buy a number, send a message, page a
list, catch a RestException with Twilio's code, validate a webhook signature with
``validateRequest``: tests/node/journey.js).

The package is installed once into a cache folder and reused by later runs:
``$TWILIO_SIM_NODE_CACHE`` (CI caches it), else ``<tmp>/twilio-sim-node``. The version is
``$TWILIO_SIM_NODE_TWILIO`` (default below). Without node and npm the test FAILS, saying so:
the recipe is part of what the simulator promises.
"""
from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
JOURNEY = Path(__file__).resolve().parent / "node" / "journey.js"
TWILIO_NODE = os.environ.get("TWILIO_SIM_NODE_TWILIO", "6.2.0")
CACHE = Path(os.environ.get("TWILIO_SIM_NODE_CACHE")
             or Path(tempfile.gettempdir()) / "twilio-sim-node")
README_BASE = "http://127.0.0.1:4010"
INSTALL_TIMEOUT = 600
RUN_TIMEOUT = 120


def readme_snippet() -> str:
    """The ```js block of the README's "### twilio-node" section."""
    text = README.read_text(encoding="utf-8")
    m = re.search(r"^### twilio-node\n.*?^```js\n(.*?)^```", text, re.M | re.S)
    assert m, "README.md has no ```js block under '### twilio-node'"
    return m.group(1)


def _tools() -> tuple[str, str]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        missing = " and ".join(n for n, p in (("node", node), ("npm", npm)) if not p)
        pytest.fail(f"{missing} not found on PATH: the README's twilio-node recipe cannot be "
                    "checked. Install Node.js 18+ with npm (https://nodejs.org) and run again.",
                    pytrace=False)
    return node, npm


def installed_twilio(npm: str) -> Path:
    """A folder whose node_modules holds twilio@TWILIO_NODE, installed once and reused:
    concurrent runs wait on a lock; the install goes to a temporary folder renamed into
    place only when complete."""
    CACHE.mkdir(parents=True, exist_ok=True)
    target = CACHE / f"twilio-{TWILIO_NODE}"
    marker = target / "node_modules" / "twilio" / "package.json"
    with open(CACHE / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if marker.is_file():
            return target
        work = Path(tempfile.mkdtemp(prefix=f"twilio-{TWILIO_NODE}.", dir=CACHE))
        (work / "package.json").write_text(json.dumps({"name": "twilio-sim-node-check",
                                                       "private": True}))
        try:
            done = subprocess.run(
                [npm, "install", "--no-audit", "--no-fund", "--loglevel=error",
                 f"twilio@{TWILIO_NODE}"],
                cwd=work, capture_output=True, text=True, timeout=INSTALL_TIMEOUT)
        except subprocess.TimeoutExpired:
            shutil.rmtree(work, ignore_errors=True)
            pytest.fail(f"npm install twilio@{TWILIO_NODE} took over {INSTALL_TIMEOUT} s",
                        pytrace=False)
        if done.returncode != 0 or not (work / "node_modules" / "twilio").is_dir():
            shutil.rmtree(work, ignore_errors=True)
            pytest.fail(f"npm install twilio@{TWILIO_NODE} failed (exit {done.returncode}); "
                        f"is the npm registry reachable?\n{done.stdout}\n{done.stderr}",
                        pytrace=False)
        shutil.rmtree(target, ignore_errors=True)   # a half-made folder of an older run
        work.rename(target)
        return target


def test_the_readme_snippet_is_a_node_program_for_the_default_server():
    snippet = readme_snippet()
    assert 'require("twilio")' in snippet and "httpClient" in snippet
    assert README_BASE in snippet, "the snippet's default base is the README's serve URL"
    assert re.search(r"^const client = ", snippet, re.M), "the snippet defines `client`"


def test_the_readme_twilio_node_recipe_runs_against_a_served_simulator(serve, tmp_path):
    node, npm = _tools()
    folder = installed_twilio(npm)
    served = serve("--memory")
    script = "\n".join([
        f"const accountSid = {json.dumps(served.account_sid)};",
        f"const authToken = {json.dumps(served.auth_token)};",
        f"const SIM_URL = {json.dumps(served.url)};",
        readme_snippet().replace(README_BASE, served.url),
        JOURNEY.read_text(encoding="utf-8"),
    ])
    path = folder / f"journey-{os.getpid()}-{tmp_path.name}.js"   # beside its node_modules
    path.write_text(script, encoding="utf-8")
    try:
        done = subprocess.run([node, str(path)], cwd=folder, capture_output=True, text=True,
                              timeout=RUN_TIMEOUT)
    finally:
        path.unlink(missing_ok=True)
    assert done.returncode == 0, (f"twilio-node {TWILIO_NODE} failed the README recipe:\n"
                                  f"{done.stderr}\n{done.stdout}\n--- simulator ---\n"
                                  f"{served.output}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"ok": True, "steps": [
        "fetch the account", "buy a number", "send a message", "page a list",
        "catch a RestException", "validate a webhook signature"]}
