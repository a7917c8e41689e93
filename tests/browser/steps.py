"""Steps more than one browser journey takes."""
from __future__ import annotations

import os
import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:   # the tests say how to install it; in CI its absence is a failure
    _why = ("browser tests: Playwright for Python is missing; install it with "
            "pip install -e '.[browser]' (and Chromium: apt-get install -y chromium)")
    if os.environ.get("CI") == "true":
        raise
    pytest.skip(_why, allow_module_level=True)

__all__ = ["expect", "sso_sign_in", "console_launch_flex"]


def sso_sign_in(page, role: str = "agent"):
    """Sign in through the simulated identity provider as the seeded Owl user of ``role``."""
    page.goto("/flex")
    page.get_by_role("link", name=re.compile("Log in with SSO: Owl Contact Center")).click()
    page.locator(f"[data-fill-idp][data-roles={role}]").first.click()
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/flex/ui/agent-desktop$"))


def console_launch_flex(page, email: str, password: str):
    page.goto("/console")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/console/account$"))
    page.get_by_role("link", name="Owl Contact Center").first.click()
    page.get_by_role("button", name="Launch Flex").click()
    expect(page).to_have_url(re.compile(r"/flex/ui/agent-desktop$"))
