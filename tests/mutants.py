"""Deliberate bugs the suite must catch, each with the test that catches it.

    python tests/mutants.py            # every mutant (about a minute)
    python tests/mutants.py 7 8        # some of them

Each mutant replaces one exact piece of the simulator, runs the named test (both
transports), and restores the file byte for byte (if someone edited the file meanwhile, only the
mutated piece is put back). A mutant is *caught* when the named test fails or errors (the
contract check fails a test at teardown). Exit status 1 when a mutant survives or no longer
applies (the code moved: update its ``old`` text). README.md, "Testing", lists them.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (what the bug is, file, old text, new text, the test that catches it)
MUTANTS = [
    ("toll-free rule flipped", "simulator/rules/messaging.py",
     "and verification_status != APPROVED)", "and verification_status == APPROVED)",
     "tests/api/test_tollfree.py::test_done_when_toll_free_rule"),
    ("supervisors may change the Flex Configuration", "simulator/products/flex_api/configuration.py",
     '    require_admin("the Flex Configuration")', "    pass",
     "tests/api/test_flex_roles.py::test_configuration_changes_admin_only"),
    ("21604 dropped (no To)", "simulator/rules/messaging.py",
     "    if not to:\n        raise TwilioError(21604)", "    pass",
     "tests/api/test_messages.py::test_validation_codes_in_twilios_order"),
    ("next_page_uri broken", "simulator/wire.py",
     '"next_page_uri": f"{path}?{_query(req.page + 1, req.page_size, next_token)}" if more else None,',
     '"next_page_uri": None,',
     "tests/api/test_accounts.py::test_120_subaccounts_list_and_stream_each_exactly_once"),
    ("a subaccount reaches its parent", "simulator/auth.py",
     '        return account["sid"] == self.account_sid or account["owner_account_sid"] == self.account_sid',
     '        return account["sid"] == self.account_sid or account["owner_account_sid"] == self.account_sid'
     ' or self.account["owner_account_sid"] == account["sid"]',
     "tests/api/test_accounts.py::test_subaccount_reaches_itself_only"),
    ("test credentials may read", "simulator/auth.py",
     '    if principal.via == "test" and not (request.method == "POST"',
     '    if principal.via == "test" and not (request.method in ("POST", "GET")',
     "tests/api/test_messages_test_credentials.py::test_any_other_resource_is_20008"),
    ("API keys never authenticate", "simulator/domain/accounts.py",
     '        if key is not None and _same(secret, key["secret"]):', "        if False:",
     "tests/api/test_auth.py::test_a_standard_key_reaches_the_accounts_resources"),
    ("an extra key in an account's subresource_uris", "simulator/products/api/accounts.py",
     '    "messages": "Messages", "balance": "Balance",',
     '    "messages": "Messages", "balance": "Balance", "secrets": "Secrets",',
     "tests/api/test_accounts.py::test_fetch_main_account (contract)"),
    # -- our own --------------------------------------------------------------------------
    ("ISO 8601 dates in the 2010 API", "simulator/dates.py",
     "    return format_datetime(parse_iso(value)) if value else None", "    return value",
     "tests/api/test_accounts.py::test_fetch_main_account (contract)"),
    ("TaskRouter URLs on api.twilio.com", "simulator/products/taskrouter/__init__.py",
     '    return public_url("taskrouter", f"/v1{path}")', '    return public_url("api", f"/v1{path}")',
     "tests/api/test_taskrouter.py::test_workspace_create_has_default_activities_and_task_channels"
     " (contract)"),
    ("an extra key in the 4th and later items of 2010 lists", "simulator/wire.py",
     '        "page": req.page,\n        key: [to_wire(r) for r in records],',
     '        "page": req.page,\n'
     '        key: [{**to_wire(r), **({"x": 1} if i >= 3 else {})} for i, r in enumerate(records)],',
     "tests/api/test_accounts.py::test_120_subaccounts_list_and_stream_each_exactly_once (contract)"),
    ("a number's capabilities lose fax", "simulator/products/api/incoming_phone_numbers.py",
     '        "capabilities": dict(n["capabilities"]),',
     '        "capabilities": {k: v for k, v in n["capabilities"].items() if k != "fax"},',
     "tests/api/test_numbers.py::test_buy_by_phone_number_fetch_update_release (contract)"),
    ("more_info off Twilio's error page", "simulator/errors.py",
     '            "more_info": f"https://www.twilio.com/docs/errors/{self.code}",',
     '            "more_info": f"https://www.twilio.com/docs/api/errors/{self.code}",',
     "tests/api/test_keys.py::test_update_and_delete (contract)"),
    ("an empty body from a 2xx update", "simulator/products/api/keys.py",
     "    return to_wire(accounts.rename_key(sim(), key, name))",
     '    accounts.rename_key(sim(), key, name)\n    return ""',
     "tests/api/test_keys.py::test_update_and_delete (contract)"),
    ("the store makes an undeclared table", "simulator/store/__init__.py",
     "            owner = self._owners[name]", '            owner = self._owners.get(name, "account_sid")',
     "tests/unit/test_store.py::test_an_undeclared_table_is_refused_not_created"),
    ("the scheduler logs every repeat of an error", "simulator/scheduler.py",
     "        if seen:\n            return False", "        if False:\n            return False",
     "tests/unit/test_scheduler.py::test_a_failing_step_is_logged_once_per_kind_and_the_next_steps_run"),
    ("the ticker stops after an error", "simulator/scheduler.py",
     '            simulator.scheduler.errors.error(("ticker", *_kind(e)), "ticker pass failed")',
     '            simulator.scheduler.errors.error(("ticker", *_kind(e)), "ticker pass failed")\n'
     "            return",
     "tests/unit/test_scheduler.py::test_the_ticker_logs_an_error_once_and_keeps_ticking"),
]


def run(number: int, what: str, path: str, old: str, new: str, test: str) -> bool:
    file = ROOT / path
    original = file.read_text()
    if original.count(old) != 1:
        print(f"{number:2} {what}: NO LONGER APPLIES ({path} changed)")
        return False
    file.write_text(original.replace(old, new))
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:randomly", "-p", "no:cacheprovider",
             test.split(" ")[0]],
            cwd=ROOT, capture_output=True, text=True, env=dict(os.environ))
    finally:
        now = file.read_text()
        file.write_text(original if now == original.replace(old, new) else now.replace(new, old))
    caught = result.returncode != 0
    print(f"{number:2} {what}: {'caught' if caught else 'SURVIVED'} by {test}")
    return caught


def main(argv: list[str]) -> int:
    chosen = [int(a) for a in argv] or range(1, len(MUTANTS) + 1)
    results = [run(n, *MUTANTS[n - 1]) for n in chosen]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
