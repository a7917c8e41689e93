"""CI: the installed package as a user meets it. Usage: wheel_smoke.py PATH/TO/twilio-sim

Starts ``twilio-sim serve --memory --port 0`` in an empty folder, checks the embedded
default data answers (main account, its numbers) and that SIGTERM stops it cleanly."""
from __future__ import annotations

import base64
import json
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

MAIN = "AC02af17f4eb5c599711bcc3c917f73f7a"


def get(url: str, auth: tuple[str, str] | None = None) -> dict:
    request = urllib.request.Request(url)
    if auth:
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def main(executable: str) -> int:
    with tempfile.TemporaryDirectory() as folder:
        proc = subprocess.Popen([executable, "serve", "--memory", "--port", "0"], cwd=folder,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            first = proc.stdout.readline()
            m = re.search(r"listening on (http://127\.0\.0\.1:\d+)", first)
            if not m:
                print(first + proc.stdout.read(), file=sys.stderr)
                return 1
            url = m.group(1)
            deadline = time.monotonic() + 30
            while True:
                try:
                    creds = get(url + "/_sim/v1/credentials")
                    break
                except urllib.error.URLError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
            main_account = next(a for a in creds["accounts"] if a["sid"] == MAIN)
            numbers = get(f"{url}/api/2010-04-01/Accounts/{MAIN}/IncomingPhoneNumbers.json",
                          auth=(MAIN, main_account["auth_token"]))
            assert "+14155550100" in [n["phone_number"] for n in numbers["incoming_phone_numbers"]]
        finally:
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=30)
            rest = proc.stdout.read()
            proc.stdout.close()
        assert code == 0 and "state flushed" in rest, (code, rest)
    print(f"wheel smoke test: {executable} serves the default data")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
