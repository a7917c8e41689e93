"""An SMS from the inspector's handset reaches the agent's desktop as a notification and a
reservation; the agent accepts and answers; the reply appears on the handset."""
from __future__ import annotations

import re

from steps import expect, sso_sign_in

CUSTOMER = "+14155550123"
FLEX_NUMBER = "+14155550150"   # the seeded Owl Contact Center's


def test_an_inbound_sms_is_accepted_answered_and_the_reply_reaches_the_handset(
        context, base_url, shots):
    context.grant_permissions(["notifications"], origin=base_url)
    desk = context.new_page()
    sso_sign_in(desk, "agent")
    expect(desk.locator("#notifications")).to_have_attribute("data-permission", "granted")
    desk.get_by_label("Status").select_option("Available")
    expect(desk.get_by_text("No incoming tasks.", exact=True)).to_be_visible()   # live: Available

    # the customer writes from the inspector's virtual handset
    handset = context.new_page()
    handset.goto(f"/inspector/handsets/{CUSTOMER}")
    handset.get_by_label("To (a Twilio number)").select_option(FLEX_NUMBER)
    handset.get_by_role("textbox", name="Message").fill("Where is my parcel?")
    handset.get_by_role("button", name="Send", exact=True).click()
    mine = handset.locator("li[data-message]", has_text="Where is my parcel?")
    expect(mine).to_contain_text("received")
    # Owl is a trial account: it may text only verified numbers; the handset page says so
    handset.get_by_role("button", name=f"Verify {CUSTOMER} for Owl Contact Center").click()
    expect(handset.get_by_role("button", name=re.compile("^Verify"))).to_have_count(0)
    shots(handset, "handset-sent")

    # the desk: a reservation, announced as a browser notification, without reloading
    incoming = desk.locator("[data-reservation][data-status=pending]")
    expect(incoming).to_contain_text(f"SMS from {CUSTOMER}")
    expect(incoming).to_contain_text("Where is my parcel?")
    desk.wait_for_function("window.__notifications.length > 0")
    assert desk.evaluate("window.__notifications") == [
        {"title": f"Incoming SMS task from {CUSTOMER}", "body": "Where is my parcel?"}]
    expect(desk.get_by_role("status")).to_contain_text(f"Incoming SMS task from {CUSTOMER}")
    shots(desk, "desk-incoming")

    desk.get_by_role("button", name="Accept").click()
    reply = desk.get_by_role("textbox", name=f"Reply to {CUSTOMER}")
    reply.fill("It ships today.")
    desk.get_by_role("button", name="Send", exact=True).click()
    expect(desk.locator(".messages li.mine")).to_contain_text("It ships today.")
    expect(reply).to_have_value("")

    # the reply reaches the handset as an SMS from the Flex number, and is delivered
    answer = handset.locator("li[data-message]", has_text="It ships today.")
    expect(answer).to_contain_text(FLEX_NUMBER)
    expect(answer).to_have_attribute("data-status", "delivered")
    shots(handset, "handset-reply")
    expect(desk.locator(".messages li.mine")).to_contain_text("delivered")
    shots(desk, "desk-answered")

    # wrap up and complete: the desk empties
    desk.get_by_role("button", name="Wrap up").click()
    expect(desk.locator("[data-reservation]")).to_have_attribute("data-status", "wrapping")
    desk.get_by_role("button", name="Complete").click()
    expect(desk.get_by_text("No active tasks.")).to_be_visible()
    shots(desk, "desk-done")
