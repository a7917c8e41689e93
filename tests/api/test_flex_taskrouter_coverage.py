"""Every operation the official specs define on the Flex and TaskRouter paths
the simulator covers is served (each is exercised through the SDK in the other
test modules, whose responses the contract checker validates)."""
import json
import re

import pytest

import contract
from simulator import create_app
from simulator.config import Settings

pytestmark = pytest.mark.skipif(not contract.available(), reason="official specs absent")

COVERED = {
    "twilio_taskrouter_v1.json": re.compile(
        r"^/v1/Workspaces(/\{Sid\})?$|^/v1/Workspaces/\{WorkspaceSid\}/"
        r"(Activities|Workers|TaskQueues|Workflows|TaskChannels)(/\{Sid\})?$|"
        r"^/v1/Workspaces/\{WorkspaceSid\}/Workers/\{WorkerSid\}/Channels(/\{Sid\})?$"),
    "twilio_flex_v1.json": re.compile(
        r"^/v1/(Configuration|account/provision/status|Insights/UserRoles|"
        r"(FlexFlows|WebChannels|Channels)(/\{Sid\})?)$"),
    "twilio_flex_v2.json": re.compile(r"^/v2/Instances/\{InstanceSid\}/Users/\{FlexUserSid\}$"),
}
LABEL = {"twilio_taskrouter_v1.json": "taskrouter", "twilio_flex_v1.json": "flex-api",
         "twilio_flex_v2.json": "flex-api"}


def _operations():
    for file, pattern in COVERED.items():
        spec = json.loads((contract.SPECS / file).read_text())
        for path, item in spec["paths"].items():
            if pattern.match(path):
                for method in ("get", "post", "delete"):
                    if method in item:
                        yield file, path, method.upper()


def test_every_covered_operation_has_a_route():
    app = create_app(Settings())
    try:
        adapter = app.url_map.bind("localhost")
        ops = list(_operations())
        assert len(ops) == 53
        for file, path, method in ops:
            local = "/" + LABEL[file] + re.sub(r"\{(\w+)\}", lambda m: "XX" + "0" * 32, path)
            endpoint, _ = adapter.match(local, method=method)
            assert endpoint, (method, path)
    finally:
        app.extensions["twilio_sim"].close()
