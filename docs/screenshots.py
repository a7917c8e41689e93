"""Remake the README's screenshots (docs/screenshots/*.png) in headless Chromium.

    python docs/screenshots.py [--chromium /usr/bin/chromium]

Starts ``twilio-sim serve --memory --seed 7`` on a free port, plays a short journey through
the pages (the Owl Contact Center's seeded users) and saves four screenshots.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import requests
from playwright.sync_api import expect, sync_playwright

OUT = Path(__file__).resolve().parent / "screenshots"
CUSTOMER, FLEX_NUMBER = "+14155550123", "+14155550150"
MAIN = ("AC02af17f4eb5c599711bcc3c917f73f7a", "baef4c179a30345bf7767d852a2acd02")


def serve() -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-m", "simulator", "serve", "--memory", "--seed",
                             "7", "--port", "0"], stdout=subprocess.PIPE, text=True)
    for line in proc.stdout:
        m = re.search(r"listening on (http://\S+)", line)
        if m:
            return proc, m.group(1)
    raise SystemExit("twilio-sim did not start")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = p.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    proc, base = serve()
    try:
        for body in ("Your code is 1234", "Hello again"):   # two 30032s for the messages page
            requests.post(f"{base}/api/2010-04-01/Accounts/{MAIN[0]}/Messages.json", auth=MAIN,
                          data={"From": "+18445550100", "To": "+14155550142", "Body": body})
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=args.chromium)
            ctx = browser.new_context(viewport={"width": 1280, "height": 720}, base_url=base)
            ctx.grant_permissions(["notifications"], origin=base)
            desk = ctx.new_page()
            desk.goto("/flex")
            desk.get_by_role("link", name=re.compile("Log in with SSO")).click()
            desk.locator("[data-fill-idp][data-roles=agent]").first.click()
            desk.get_by_role("button", name="Sign in").click()
            desk.get_by_label("Status").select_option("Available")
            handset = ctx.new_page()
            handset.goto(f"/inspector/handsets/{CUSTOMER}")
            handset.get_by_label("To (a Twilio number)").select_option(FLEX_NUMBER)
            handset.get_by_role("textbox", name="Message").fill("Hi! Where is my parcel?")
            handset.get_by_role("button", name="Send", exact=True).click()
            handset.get_by_role("button", name=re.compile("^Verify")).click()
            desk.get_by_role("button", name="Accept").click()
            desk.get_by_role("textbox", name=re.compile("Reply to")).fill("It ships today.")
            desk.get_by_role("button", name="Send", exact=True).click()
            expect(handset.locator("li[data-message]", has_text="It ships today.")) \
                .to_have_attribute("data-status", "delivered")
            expect(desk.locator(".messages li.mine")).to_contain_text("delivered")
            time.sleep(0.5)
            desk.screenshot(path=str(OUT / "agent-desktop.png"))
            handset.screenshot(path=str(OUT / "inspector-handset.png"))
            handset.goto("/inspector/messages")
            handset.screenshot(path=str(OUT / "inspector-messages.png"))
            console = ctx.new_page()
            console.goto("/console")
            console.get_by_label("Email").fill("admin@owl.example.com")
            console.get_by_label("Password").fill("owl-admin-password")
            console.get_by_role("button", name="Log in").click()
            console.get_by_role("link", name="Owl Contact Center").first.click()
            console.get_by_role("heading", name="Users and roles").wait_for()
            console.screenshot(path=str(OUT / "console-flex-account.png"))
            browser.close()
    finally:
        proc.terminate()   # the simulator this script started
        proc.wait(timeout=30)
    for shot in sorted(OUT.glob("*.png")):
        print(f"{shot.relative_to(OUT.parent.parent)}  {shot.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
