"""The real ``twilio-taskrouter`` SDK (npm, 2.x), unmodified, against ``twilio-sim serve``.

The npm packages (``twilio-taskrouter@2`` and ``twilio``) are installed once into a folder of
the system's temporary area and reused by later runs. Node.js (18 or later, for ``fetch``) and
npm are required: without them these tests fail, saying what to install.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

PACKAGES = ("twilio-taskrouter@2", "twilio@5")
NODE_MAJOR_MIN = 18
SCRIPTS = Path(__file__).resolve().parent / "js"
README = Path(__file__).resolve().parents[1] / "README.md"
README_BASE = "http://127.0.0.1:4010"
INSTALL_TIMEOUT = 300
RUN_TIMEOUT = 120


def _node_or_fail() -> tuple[str, str]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.fail("Node.js and npm are required to run the TaskRouter JavaScript SDK "
                    f"against the simulator (found node={node}, npm={npm}): install Node.js "
                    f"{NODE_MAJOR_MIN} or later with npm (e.g. `apt-get install nodejs npm`, "
                    "or from nodejs.org)", pytrace=False)
    version = subprocess.run([node, "--version"], capture_output=True, text=True,
                             check=True).stdout.strip()
    major = int(re.match(r"v?(\d+)", version).group(1))
    if major < NODE_MAJOR_MIN:
        pytest.fail(f"Node.js {version} is too old: the tests need {NODE_MAJOR_MIN} or later "
                    "(for fetch)", pytrace=False)
    return node, npm


@pytest.fixture(scope="session")
def node_modules() -> tuple[str, Path]:
    """(node, the node_modules folder holding PACKAGES), installed once and cached."""
    node, npm = _node_or_fail()
    key = hashlib.sha256(" ".join(PACKAGES).encode()).hexdigest()[:12]
    folder = Path(tempfile.gettempdir()) / "twilio-sim-npm" / key
    folder.mkdir(parents=True, exist_ok=True)
    done = folder / ".installed"
    with open(folder / ".lock", "w") as lock:   # one installer at a time (pytest -n)
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            (folder / "package.json").write_text('{"name": "twilio-sim-js-tests", '
                                                 '"private": true}\n')
            result = subprocess.run(
                [npm, "install", "--no-audit", "--no-fund", "--loglevel=error", *PACKAGES],
                cwd=folder, capture_output=True, text=True, timeout=INSTALL_TIMEOUT)
            if result.returncode != 0:
                pytest.fail(f"npm install {' '.join(PACKAGES)} failed in {folder}:\n"
                            f"{result.stdout}\n{result.stderr}", pytrace=False)
            done.write_text(" ".join(PACKAGES))
    return node, folder / "node_modules"


def _run(node_modules, script: Path, env: dict) -> subprocess.CompletedProcess:
    node, modules = node_modules
    return subprocess.run([node, str(script)], capture_output=True, text=True,
                          timeout=RUN_TIMEOUT, cwd=script.parent,
                          env={**os.environ, **env, "NODE_PATH": str(modules)})


def _standard_key(served) -> dict:
    accounts = served.control("credentials")["accounts"]
    main = next(a for a in accounts if a["sid"] == served.account_sid)
    return main["keys"][0]


def test_two_workers_on_the_real_sdk(node_modules, serve):
    served = serve("--memory")
    key = _standard_key(served)
    result = _run(node_modules, SCRIPTS / "two_workers.js", {
        "SIM_URL": served.url, "ACCOUNT_SID": served.account_sid,
        "AUTH_TOKEN": served.auth_token, "KEY_SID": key["sid"], "KEY_SECRET": key["secret"]})
    steps = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}\n{served.output}"
    by_step = {}
    for step in steps:
        by_step.setdefault(step["step"], []).append(step)
    assert not by_step.get("error"), by_step["error"]
    health = by_step["health"][0]
    assert health["ws_server"].startswith("ws://127.0.0.1:")
    assert health["eb_server"] == f"{served.url}/event-bridge/v1/wschannels"
    assert [(r["activity"], r["channels"], r["activities"]) for r in by_step["ready"]] == [
        ("Available", 5, 3)] * 2

    first, second = by_step["reservationCreated"]
    assert first["matches"] and first["status"] == "pending" and first["type"] == "support"
    assert second["worker"] != first["worker"] and second["status"] == "pending"
    assert by_step["accepted"] == [{"step": "accepted", "worker": first["worker"],
                                    "reservation": "accepted", "task": "assigned"}]
    assert by_step["timeout"] == [{"step": "timeout", "worker": second["worker"],
                                   "reservation": "timeout"}]
    assert by_step["activityUpdated"] == [{
        "step": "activityUpdated", "worker": second["worker"], "activity": "Offline",
        "timeoutActivity": True, "available": False}]
    assert by_step["completed"] == [{"step": "completed", "worker": first["worker"],
                                     "reservation": "completed", "task": "completed",
                                     "reason": "resolved"}]
    assert "done" in by_step


def test_the_readme_snippet_works_as_pasted(node_modules, serve, tmp_path):
    text = README.read_text()
    section = text[text.index("#### Agent apps: the TaskRouter JavaScript SDK"):]
    snippet = re.search(r"```js\n(.*?)```", section, re.S).group(1)
    assert snippet.count(README_BASE) == 1, "the snippet names the simulator's URL once"
    served = serve("--memory")
    script = tmp_path / "agent.js"
    script.write_text(snippet.replace(README_BASE, served.url))
    result = _run(node_modules, script, {})
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}\n{served.output}"
    lines = result.stdout.splitlines()
    assert lines[0] == "alice is Available"
    assert re.fullmatch(r'reservation for WT[0-9a-f]{32}: \{"type":"support"\}', lines[1])
    assert lines[2:] == ["accepted; the task is assigned", "reservation completed"]
