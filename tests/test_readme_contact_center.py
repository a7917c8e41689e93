"""The README's "Contact center" snippets work as pasted: the Python journey and the curl
lines run against ``twilio-sim serve --memory`` (only the port differs)."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
DEFAULT = "http://127.0.0.1:4010"


def _section() -> str:
    text = README.read_text()
    start = text.index("\n## Contact center\n")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", _section(), re.S)


def test_the_contact_center_section_has_its_snippets():
    assert len(_blocks("python")) == 1 and len(_blocks("bash")) == 1
    assert DEFAULT in _blocks("python")[0] and DEFAULT in _blocks("bash")[0]


def test_the_python_journey_runs_as_pasted(serve):
    served = serve("--memory")
    code = _blocks("python")[0].replace(DEFAULT, served.url)
    exec(compile(code, "README.md (Contact center)", "exec"), {"__name__": "readme"})


def test_the_curl_lines_run_as_pasted(serve):
    served = serve("--memory")
    script = _blocks("bash")[0].replace(DEFAULT, served.url)
    done = subprocess.run(["bash", "-e", "-c", script + "\n"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert '"direction":"inbound"' in out.replace(" ", "")   # the text was stored
    assert '"conversations":[' in out.replace(" ", "")       # and is in a conversation
    assert '"address_configurations":[' in out.replace(" ", "")
    assert '"messages":[' in out.replace(" ", "")
