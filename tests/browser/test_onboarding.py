"""The seed page's journey, clicked through: sign up for Twilio, verify the phone (the code is
read on the inspector's handset), create a Flex account (the phone verified again,
provisioning moving from inprogress to ok as the inspector moves the clock), invite a
Supervisor (an Agent is refused: SSO only), Launch Flex, accept notifications, see every view
an Administrator may open."""
from __future__ import annotations

import re

from steps import expect

PHONE = "+14155550199"
VIEWS = ["Agent Desktop", "Teams", "Queue Stats", "Admin"]


def read_code(handset, purpose: str) -> str:
    handset.reload()
    code = handset.locator(f"[data-code]:has-text('{purpose}')").last
    expect(code).to_be_visible()
    return code.get_attribute("data-code")


def test_seed_onboarding_from_sign_up_to_the_flex_ui(context, shots):
    console = context.new_page()
    console.goto("/console/try-twilio")
    console.get_by_label("Full name").fill("Ada Lovelace")
    console.get_by_label("Email").fill("ada@example.com")
    console.get_by_label("Password").fill("correct horse battery")
    console.get_by_role("textbox", name="Phone number").fill(PHONE)
    shots(console, "sign-up")
    console.get_by_role("button", name="Start your free trial").click()
    expect(console.get_by_role("heading", name="Verify your phone number")).to_be_visible()

    # the code "sent" by SMS: the inspector's handset for that phone is the phone
    handset = context.new_page()
    handset.goto(f"/inspector/handsets/{PHONE}")
    code = read_code(handset, "signup")
    assert re.fullmatch(r"\d{6}", code)
    shots(handset, "sign-up-code-on-the-handset")
    console.get_by_label("Verification code").fill(code)
    console.get_by_role("button", name="Verify").click()

    # the account page: a trial account, its auth token shown on click
    expect(console).to_have_url(re.compile(r"/console/account$"))
    expect(console.get_by_role("heading", name="My first Twilio account")).to_be_visible()
    account_sid = console.locator("[data-account-sid]").text_content()
    assert re.fullmatch(r"AC[0-9a-f]{32}", account_sid)
    token = console.locator(f"#token-{account_sid}")
    expect(token).to_be_hidden()
    console.get_by_role("button", name="Show auth token").click()
    expect(token).to_have_text(re.compile(r"^[0-9a-f]{32}$"))
    shots(console, "console-account", full_page=True)

    # "Create a new Flex account here. Give your account a name ... and verify your phone
    # number again."
    console.get_by_role("link", name="Create a new Flex account").first.click()
    console.get_by_role("button", name="Send the code").click()
    expect(console.get_by_role("status")).to_contain_text("Code sent")
    code = read_code(handset, "flex-account")
    console.get_by_label("Give your Flex account a name").fill("Ada Support")
    console.get_by_label("Verification code").fill(code)
    shots(console, "create-flex-account")
    console.get_by_role("button", name="Create Flex account").click()
    expect(console).to_have_url(re.compile(r"/console/flex/AC[0-9a-f]{32}$"))
    status = console.locator("[data-flex-status]")
    expect(status).to_have_attribute("data-flex-status", "inprogress")
    shots(console, "flex-account-provisioning", full_page=True)

    # provisioning takes 30 s of the simulator clock: the inspector moves it, the page follows
    inspector = context.new_page()
    inspector.goto("/inspector")
    inspector.get_by_label("Advance").fill("31")
    inspector.get_by_role("button", name="Advance").click()
    expect(status).to_have_attribute("data-flex-status", "ok")   # live, no reload
    shots(inspector, "inspector-overview")

    # users: Supervisors are invited, Agents are refused with the documented reason
    console.get_by_label("Email", exact=True).fill("grace@example.com")
    console.get_by_label("Role", exact=True).select_option("agent")
    console.get_by_role("button", name="Send invitation").click()
    refusal = console.get_by_role("alert").filter(has_text="SSO")
    expect(refusal).to_contain_text("Agents cannot be invited through the Console")
    expect(refusal).to_contain_text("Twilio error 20422")
    console.get_by_label("Role", exact=True).select_option("supervisor")
    console.get_by_role("button", name="Send invitation").click()
    invited = console.locator("#flex-users tr", has_text="grace@example.com")
    expect(invited).to_contain_text("pending")
    shots(console, "flex-account-users", full_page=True)

    # Launch Flex: the Administrator's four views, and the notification prompt on first open
    console.get_by_role("button", name="Launch Flex").click()
    expect(console).to_have_url(re.compile(r"/flex/ui/agent-desktop$"))
    assert console.evaluate("window.__permissionAsked") == 1
    expect(console.locator("#notifications")).to_be_visible()
    nav = console.get_by_role("navigation", name="Flex views")
    expect(nav.get_by_role("link")).to_have_text(VIEWS)
    expect(console.locator(".who")).to_contain_text("Ada Lovelace (Administrator)")
    shots(console, "flex-agent-desktop")
    for view in VIEWS[1:]:
        nav.get_by_role("link", name=view).click()
        expect(console.get_by_role("heading", level=1)).to_have_text(view)
        shots(console, f"flex-{view.lower().replace(' ', '-')}")
    expect(console.locator("pre.json")).to_contain_text('"flex_instance_sid"')

    # reopening Flex does not ask again
    console.reload()
    assert console.evaluate("window.__permissionAsked") == 0
