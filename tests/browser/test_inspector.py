"""The inspector's own tools in the browser: the clock, faults, reset, and a snapshot
downloaded then restored. Its buttons call the control plane with same-origin JSON."""
from __future__ import annotations

import re

import requests

from steps import expect


def test_clock_faults_snapshot_and_reset(context, base_url, shots):
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())   # "Reset the simulator ...?"
    page.goto("/inspector")

    # the clock: freeze, advance, back to real time
    page.get_by_role("button", name="Freeze").click()
    clock = page.locator("[data-clock]")
    expect(clock).to_have_attribute("data-mode", "frozen")
    frozen_at = clock.get_attribute("data-now")
    page.get_by_label("Advance").fill("90")
    page.get_by_role("button", name="Advance").click()
    expect(clock).not_to_have_attribute("data-now", frozen_at)
    state = requests.get(base_url + "/_sim/v1/clock", timeout=10).json()
    assert state["mode"] == "frozen" and state["now"] == clock.get_attribute("data-now")
    shots(page, "clock-frozen")
    page.get_by_role("button", name="Real time").click()
    expect(clock).to_have_attribute("data-mode", "real")

    # a fault, as POST /_sim/v1/faults takes it; a bad one is refused with Twilio's code
    page.get_by_role("link", name="Faults").click()
    page.get_by_label(re.compile("^Fault")).fill('{"status": 999}')
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("alert")).to_contain_text("Twilio error 20422")
    page.get_by_label(re.compile("^Fault")).fill(
        '{"method": "GET", "path": "/2010-04-01/Accounts/*.json", "status": 503, "count": 1}')
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("heading", name="1 faults")).to_be_visible()
    shots(page, "faults")

    # a snapshot with that fault in it, downloaded; reset forgets the fault; restore brings it back
    page.get_by_role("link", name="Overview").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download a snapshot").click()
    snapshot = download.value.path()
    page.get_by_role("button", name="Reset to the fixtures").click()
    expect(page.get_by_role("link", name="Faults")).to_be_visible()
    assert requests.get(base_url + "/_sim/v1/faults", timeout=10).json()["faults"] == []
    page.get_by_label("Restore a snapshot").set_input_files(snapshot)
    page.get_by_role("button", name="Restore", exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_role("status")).to_contain_text("Restored")
    faults = requests.get(base_url + "/_sim/v1/faults", timeout=10).json()["faults"]
    assert [f["status"] for f in faults] == [503]
    shots(page, "restored")
