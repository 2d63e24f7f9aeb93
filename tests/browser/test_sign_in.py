"""Sign-in in a real browser: the PIN screen, a wrong PIN, the switch-user tiles."""
from __future__ import annotations

import pytest
from browser_helpers import make_staff_in, shot, sign_in

pytestmark = pytest.mark.browser


def test_sign_in_wrong_pin_then_right(live_server, browser_page):
    staff = make_staff_in(live_server.app, "cashier", staff_no="3001", name="王收银")
    page = browser_page
    sign_in(page, live_server.url, "3001", "000000")
    assert page.locator(".flash.error").is_visible()
    shot(page, "login-wrong-pin")
    sign_in(page, live_server.url, "3001", staff["pin"])
    assert "王收银" in page.locator(".who").inner_text()
    page.click("#nav-me summary")  # the language is in the name's menu
    page.click("#nav-me .lang a:has-text('EN')")
    assert page.locator(".lang a.on").text_content() == "EN"  # in the closed menu
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("button:has-text('Switch user')")
    page.wait_for_url("**/login")
    assert page.locator(".tile").first.inner_text().startswith("王收银")
    shot(page, "login-switch-user")
