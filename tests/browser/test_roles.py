"""The role matrix in the browser: each view opens for the roles that may, and the others get
a page that says which roles may (an Agent cannot open Teams, a Supervisor cannot open
Admin)."""
from __future__ import annotations

import re

from steps import console_launch_flex, expect, sso_sign_in


def nav_links(page) -> list[str]:
    return page.get_by_role("navigation", name="Flex views").get_by_role("link").all_text_contents()


def test_an_agent_opens_the_agent_desktop_only(context, shots):
    page = context.new_page()
    sso_sign_in(page, "agent")
    assert nav_links(page) == ["Agent Desktop"]
    shots(page, "agent-desktop")
    for path, view, allowed in (("teams", "Teams", "Supervisors and Administrators"),
                                ("queue-stats", "Queue Stats", "Supervisors and Administrators"),
                                ("admin", "Admin", "Administrators")):
        response = page.goto(f"/flex/ui/{path}")
        assert response.status == 403
        expect(page.get_by_role("heading", level=1)).to_have_text(f"{view} is not available to you")
        expect(page.get_by_role("alert")).to_contain_text(f"{view} is open to {allowed} only")
        expect(page.get_by_role("alert")).to_contain_text("(Agent)")
        shots(page, f"agent-refused-{path}")


def test_a_supervisor_opens_teams_and_queue_stats_but_not_admin(context, shots):
    page = context.new_page()
    console_launch_flex(page, "supervisor@owl.example.com", "owl-supervisor-password")
    assert nav_links(page) == ["Agent Desktop", "Teams", "Queue Stats"]
    page.get_by_role("link", name="Teams").click()
    expect(page.get_by_role("row", name=re.compile("supervisor@owl.example.com"))).to_be_visible()
    shots(page, "supervisor-teams")
    page.get_by_role("link", name="Queue Stats").click()
    expect(page.get_by_role("row", name=re.compile("Everyone"))).to_be_visible()
    shots(page, "supervisor-queue-stats")
    response = page.goto("/flex/ui/admin")
    assert response.status == 403
    expect(page.get_by_role("alert")).to_contain_text("Admin is open to Administrators only")
    expect(page.get_by_role("alert")).to_contain_text("(Supervisor)")
    shots(page, "supervisor-refused-admin")


def test_an_administrator_opens_every_view(context, shots):
    page = context.new_page()
    console_launch_flex(page, "admin@owl.example.com", "owl-admin-password")
    assert nav_links(page) == ["Agent Desktop", "Teams", "Queue Stats", "Admin"]
    for path in ("teams", "queue-stats", "admin"):
        assert page.goto(f"/flex/ui/{path}").status == 200
    shots(page, "admin-view")


def test_an_invited_supervisor_accepts_and_launches_flex(context, shots):
    admin = context.new_page()
    console_launch_flex(admin, "admin@owl.example.com", "owl-admin-password")
    admin.go_back()   # from the Flex UI back to the Console's Flex account page
    admin.get_by_label("Email", exact=True).fill("grace@owl.example.com")
    admin.get_by_label("Role", exact=True).select_option("supervisor")
    admin.get_by_role("button", name="Send invitation").click()
    expect(admin.locator("#flex-users tr", has_text="grace@owl.example.com")).to_contain_text(
        "pending")

    # the email "sent" is in the inspector's outbox, with the invitation's link
    invitee = context.browser.new_context(base_url=admin.url.split("/console")[0])
    try:
        page = invitee.new_page()
        page.goto("/inspector/outbox")
        page.get_by_role("row", name=re.compile("grace@owl.example.com")) \
            .get_by_role("link", name="Accept the invitation").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Join Owl Contact Center as Supervisor")
        page.get_by_label("Full name").fill("Grace Hopper")
        page.get_by_label(re.compile("Choose a password")).fill("nanosecond wire")
        shots(page, "accept-invitation")
        page.get_by_role("button", name="Accept the invitation").click()
        expect(page).to_have_url(re.compile(r"/console/account$"))
        page.get_by_role("link", name="Owl Contact Center").first.click()
        page.get_by_role("button", name="Launch Flex").click()
        expect(page).to_have_url(re.compile(r"/flex/ui/agent-desktop$"))
        assert nav_links(page) == ["Agent Desktop", "Teams", "Queue Stats"]
        expect(page.locator(".who")).to_contain_text("Grace Hopper (Supervisor)")
        shots(page, "invited-supervisor")
    finally:
        invitee.close()
    # and the administrator's page shows the invitation accepted, without a reload
    expect(admin.locator("#flex-users tr", has_text="grace@owl.example.com").last).to_contain_text(
        "accepted")
