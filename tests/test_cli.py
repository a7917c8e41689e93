"""`twilio-sim` as a user meets it: installed from a wheel, started with wrong options or a
bad fixtures file or a damaged data folder, and under load. Every failure to start is one
line on stderr (no traceback) with exit status 2 (usage) or 1, and writes nothing."""
from __future__ import annotations

import json
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import requests

from simulator import __version__, cli
from simulator.server import QUEUE_LOGGER, Server

ROOT = Path(__file__).resolve().parents[1]
RUN_TIMEOUT = 60


def twilio_sim(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """``python -m simulator ARGS`` as a process (what a user sees, tracebacks included)."""
    return subprocess.run([sys.executable, "-m", "simulator", *args], cwd=cwd, text=True,
                          capture_output=True, timeout=RUN_TIMEOUT,
                          env={**os.environ, **(env or {})})


@pytest.fixture
def run(capsys, monkeypatch):
    """``twilio-sim ARGS`` in this process (fast): the same result fields as a process.
    Anything but a clean exit status would surface here as an exception (a traceback)."""
    def run_(*args: str, cwd: Path) -> subprocess.CompletedProcess:
        monkeypatch.chdir(cwd)
        try:
            status = cli.main(list(args))
        except SystemExit as e:
            status = e.code
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(args, status, out, err)
    return run_


def one_line_error(result: subprocess.CompletedProcess, status: int) -> str:
    """The error line, after checking it is the only complaint and there is no traceback."""
    assert result.returncode == status, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    assert "listening on" not in result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    error = lines[-1]
    assert error.startswith("twilio-sim") and "error:" in error, result.stderr
    if status == 1:
        assert len(lines) == 1, result.stderr
    return error


# -- version and help -----------------------------------------------------------------------------
def test_version(run, tmp_path):
    result = run("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"twilio-sim {__version__}"


def test_serve_help_shows_the_defaults_and_no_markup(run, tmp_path):
    result = run("serve", "--help", cwd=tmp_path)
    assert result.returncode == 0
    text = result.stdout
    assert "``" not in text and "(default: None)" not in text and "(default: False)" not in text
    assert re.search(r"--port PORT\s.*\(default: 4010\)", text)
    assert re.search(r"--host HOST\s.*\(default: 127\.0\.0\.1\)", text)
    assert re.search(r"--threads THREADS\s.*\(default: 8\)", text)
    assert ".twilio-sim" in text and "current folder" in text


# -- wrong command lines ------------------------------------------------------------------------
@pytest.mark.parametrize("args, says", [
    (["--port", "99999"], "99999 is not a port"),
    (["--port", "-1"], "-1 is not a port"),
    (["--port", "http"], "'http' is not a port number"),
    (["--threads", "0"], "use 1 to"),
    (["--threads", "-3"], "use 1 to"),
    (["--memory", "--data", "somewhere"], "not allowed with argument"),
])
def test_a_wrong_option_is_a_usage_error(run, tmp_path, args, says):
    error = one_line_error(run("serve", *args, cwd=tmp_path), 2)
    assert says in error
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("host", ["999.1.1.1", "no-such-host.invalid"])
def test_a_host_that_cannot_be_bound_is_one_line(run, tmp_path, host):
    error = one_line_error(run("serve", "--memory", "--host", host, "--port", "0",
                               cwd=tmp_path), 1)
    assert f"--host {host}" in error


def test_a_port_in_use_is_one_line_and_writes_nothing(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        error = one_line_error(twilio_sim("serve", "--port", str(port), "--data",
                                          str(tmp_path / "data"), cwd=tmp_path), 1)
    assert f"port {port}" in error and "already in use" in error
    assert not (tmp_path / "data").exists()
    assert not (tmp_path / ".twilio-sim").exists()


# -- fixtures files -------------------------------------------------------------------------
BAD_FIXTURES = [
    (None, "no such file"),
    ("{\"accounts\": [", "is not JSON"),
    ("[1, 2]", "must hold a JSON object"),
    ("{\"acounts\": [{}]}", "unknown top-level key 'acounts'"),
    ("{\"accounts\": [{\"type\": \"Gold\"}]}", "accounts[0].type: must be one of Full, Trial"),
    ("{\"accounts\": [{\"sid\": \"AC12\"}]}", "accounts[0].sid: must be a SID"),
    ("{\"accounts\": [{}, {\"keys\": [{\"secret\": 5}]}]}", "accounts[1].keys[0].secret"),
    ("{\"accounts\": [{\"incoming_phone_numbers\": [{\"phone_number\": \"+1555\"}]}]}",
     "incoming_phone_numbers[0]: The phone number +1555 is invalid"),
    ("{\"accounts\": [{\"sid\": \"AC" + "a" * 32 + "\", \"auth_token\": \"x\","
     " \"subaccounts\": [{\"subaccounts\": [{}]}]}]}", "cannot have subaccounts"),
    ("{\"flex_accounts\": [{\"agents\": \"many\"}]}", "flex_accounts[0].agents"),
]


@pytest.mark.parametrize("content, says", BAD_FIXTURES)
def test_a_bad_fixtures_file_is_one_line_naming_the_entry(run, tmp_path, content, says):
    path = tmp_path / "fixtures.json"
    if content is not None:
        path.write_text(content)
    error = one_line_error(run("serve", "--port", "0", "--fixtures", str(path),
                               "--data", str(tmp_path / "data"), cwd=tmp_path), 1)
    assert f"fixtures file {path}" in error and says in error, error
    assert not (tmp_path / "data").exists()  # checked before the data folder is touched


def test_the_invalid_account_is_named_by_its_sid(run, tmp_path):
    sid = "AC" + "b" * 32
    path = tmp_path / "fixtures.json"
    path.write_text(json.dumps({"accounts": [{"sid": sid, "outgoing_caller_ids": [
        {"phone_number": "12"}]}]}))
    error = one_line_error(run("serve", "--memory", "--port", "0", "--fixtures", str(path),
                               cwd=tmp_path), 1)
    assert f"accounts[0] ({sid}).outgoing_caller_ids[0]" in error


# -- a damaged data folder ------------------------------------------------------------------
@pytest.mark.parametrize("content, says", [
    ('{"accounts": {"AC1": {"sid"', "is corrupt or truncated"),
    ("", "is corrupt or truncated"),
    ("[1, 2]", "is not a twilio-sim state file"),
])
def test_a_damaged_state_file_is_named_with_how_to_recover(run, tmp_path, content, says):
    data = tmp_path / "data"
    data.mkdir()
    (data / "state.json").write_text(content)
    error = one_line_error(run("serve", "--port", "0", "--data", str(data), cwd=tmp_path), 1)
    assert str(data / "state.json") in error and says in error
    assert "move it away" in error
    assert (data / "state.json").read_text() == content  # left for the user to rescue


@pytest.mark.parametrize("args", [["--port", "99999"], ["--fixtures", "missing.json"],
                                  ["--host", "999.1.1.1"]])
def test_a_real_process_prints_no_traceback(tmp_path, args):
    result = twilio_sim("serve", "--data", str(tmp_path / "data"), *args, cwd=tmp_path)
    one_line_error(result, 2 if "--port" in args else 1)
    assert not (tmp_path / "data").exists()


# -- under load ----------------------------------------------------------------------------------
def test_waitress_queue_warnings_are_said_once(caplog):
    server = Server(host="127.0.0.1", port=0)
    try:
        with caplog.at_level(logging.WARNING, logger=QUEUE_LOGGER):
            for depth in range(1, 20):
                logging.getLogger(QUEUE_LOGGER).warning("Task queue depth is %d", depth)
        said = [r.getMessage() for r in caplog.records if r.name == QUEUE_LOGGER]
        assert len(said) == 1 and "said once" in said[0] and "--threads" in said[0]
    finally:
        server.stop()


def test_serve_freezes_what_survives_full_collections_before_it_serves(run, tmp_path,
                                                                       monkeypatch):
    """The process ``serve`` runs exists to serve: its collector takes the policy of
    ``simulator.garbage`` (tested there in child interpreters) once the state is loaded, before
    the first request. Here the policy is recorded, not applied, to leave this process alone."""
    seen = []
    monkeypatch.setattr(cli.garbage, "freeze_after_full_collections",
                        lambda: seen.append("policy"))

    def serve_forever(server):
        seen.append("serving")
        raise KeyboardInterrupt

    monkeypatch.setattr(Server, "serve_forever", serve_forever)
    handlers = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    try:   # serve ignores both signals while it flushes: give this process its own back
        result = run("serve", "--memory", "--port", "0", "--ws-port", "0", cwd=tmp_path)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    assert result.returncode == 0, result.stderr
    assert seen == ["policy", "serving"]


# -- installed from a wheel -----------------------------------------------------------------
def _build_wheel(tmp_path: Path) -> Path:
    """A wheel of a copy of the project (the build leaves nothing in the checkout)."""
    src = _mkdir(tmp_path / "src")
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", "dist")
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for name in ("simulator", "fixtures"):
        shutil.copytree(ROOT / name, src / name, ignore=ignore)
    out = tmp_path / "dist"
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                             "-w", str(out), str(src)], capture_output=True, text=True,
                            timeout=600)
    if result.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"cannot build a wheel:\n{result.stderr}")
        pytest.skip(f"cannot build a wheel here (pip needs setuptools>=77 from an index): "
                    f"{result.stderr.strip().splitlines()[-1:]}")
    return next(out.glob("*.whl"))


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


def test_a_wheel_ships_the_default_data_and_serves_it(tmp_path):
    wheel = _build_wheel(tmp_path)
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        assert "simulator/fixtures/default.json" in names
        assert not any(n.startswith(("fixtures/", "tests/")) for n in names)
        data_files = {p.relative_to(ROOT).as_posix() for p in (ROOT / "simulator").rglob("*")
                      if p.is_file() and p.suffix not in (".py", ".pyc")
                      and "__pycache__" not in p.parts}
        assert data_files - set(names) == set()  # templates, stylesheets, schemas too
        site = tmp_path / "site"
        zf.extractall(site)
    elsewhere = _mkdir(tmp_path / "elsewhere")
    env = {**os.environ, "PYTHONPATH": str(site), "PYTHONUNBUFFERED": "1"}
    where = subprocess.run([sys.executable, "-c", "import simulator.config as c; "
                            "print(c.__file__); print(c.DEFAULT_FIXTURES)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, timeout=60)
    module, fixtures = where.stdout.split()
    assert Path(module).is_relative_to(site) and Path(fixtures).is_relative_to(site)

    proc = subprocess.Popen([sys.executable, "-m", "simulator", "serve", "--memory",
                             "--port", "0"], cwd=elsewhere, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        first = proc.stdout.readline()
        m = re.search(r"listening on (http://127\.0\.0\.1:\d+)", first)
        assert m, first
        url = m.group(1)
        deadline = time.monotonic() + 30
        while True:
            try:
                creds = requests.get(url + "/_sim/v1/credentials", timeout=5).json()
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        main = next(a for a in creds["accounts"] if a["sid"] == a["owner_account_sid"])
        assert main["sid"] == "AC02af17f4eb5c599711bcc3c917f73f7a"  # the embedded default
        r = requests.get(f"{url}/api/2010-04-01/Accounts/{main['sid']}/IncomingPhoneNumbers.json",
                         auth=(main["sid"], main["auth_token"]), timeout=10)
        assert r.status_code == 200
        assert "+14155550100" in [n["phone_number"] for n in r.json()["incoming_phone_numbers"]]
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.stdout.close()
    assert proc.returncode == 0
    assert not (elsewhere / ".twilio-sim").exists()
