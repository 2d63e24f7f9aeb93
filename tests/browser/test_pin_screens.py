"""PINs in a real browser at 1024x768: a cashier changes their own PIN from the top bar;
a manager resets a clerk's PIN and disables them, and the clerk's open tablet is signed
out. Touch targets are at least 44 px tall."""
from __future__ import annotations

import pytest
from browser_helpers import make_staff_in, shot, sign_in

pytestmark = pytest.mark.browser


def _tall_enough(page, selector: str) -> None:
    for box in (el.bounding_box() for el in page.locator(selector).all()):
        assert box is not None and box["height"] >= 44, (selector, box)


def test_change_own_pin_from_the_top_bar(live_server, new_page):
    make_staff_in(live_server.app, "cashier", staff_no="3101", name="周美玲")
    page = new_page(1024, 768)
    sign_in(page, live_server.url, "3101", "246810")
    page.click("#nav-me summary")  # the name in the top bar opens its menu
    _tall_enough(page, "#nav-me summary, #nav-my-pin, #nav-me .lang a")
    shot(page, "topbar-me-menu")
    page.click("#nav-my-pin")
    page.wait_for_url("**/me/pin*")
    _tall_enough(page, "main input:visible, main .btn:visible")
    page.fill("input[name=current_pin]", "246810")
    page.fill("input[name=new_pin]", "123456")
    page.fill("input[name=confirm]", "123456")
    page.click("button:has-text('修改密码')")
    assert "不能是连续数字" in page.locator(".field-error").inner_text()
    shot(page, "pin-change-weak")
    page.fill("input[name=current_pin]", "246810")
    page.fill("input[name=new_pin]", "580413")
    page.fill("input[name=confirm]", "580413")
    shot(page, "pin-change-form")
    page.click("button:has-text('修改密码')")
    page.wait_for_load_state()
    assert "密码已修改" in page.locator(".flash").inner_text()
    assert "周美玲" in page.locator(".who").inner_text()  # still signed in on this tablet
    shot(page, "pin-changed")
    page.click("button:has-text('切换员工')")
    page.wait_for_url("**/login")
    sign_in(page, live_server.url, "3101", "246810")
    assert page.locator(".flash.error").is_visible()
    sign_in(page, live_server.url, "3101", "580413")
    assert "周美玲" in page.locator(".who").inner_text()


def test_manager_resets_a_pin_and_disables_a_clerk(live_server, new_page):
    make_staff_in(live_server.app, "manager", staff_no="3108", name="梁淑芬")
    make_staff_in(live_server.app, "clerk", staff_no="3102", name="陈志强")
    clerk_tablet = new_page(1024, 768)
    sign_in(clerk_tablet, live_server.url, "3102", "246810")
    assert "陈志强" in clerk_tablet.locator(".who").inner_text()
    clerk_tablet.goto(f"{live_server.url}/me/pin")  # a quiet page: no polls of its own

    page = new_page(1024, 768)
    sign_in(page, live_server.url, "3108", "246810")
    page.click("nav.tabs a:has-text('后台管理')")  # staff is one of the back office's tiles
    page.click(".bo-tile:has-text('员工')")
    page.wait_for_url("**/staff/")
    _tall_enough(page, ".staff-list input:visible, .staff-list .btn:visible")
    shot(page, "staff-list")
    row = page.locator("tr[data-staff='3102']")
    row.locator("input[name=new_pin]").fill("888888")
    row.locator("input[name=confirm]").fill("888888")
    row.locator("button:has-text('设置密码')").click()
    page.wait_for_load_state()
    row = page.locator("tr[data-staff='3102']")
    assert "太容易被猜到" in row.locator(".field-error").first.inner_text()
    shot(page, "staff-reset-weak")
    row.locator("input[name=new_pin]").fill("580413")
    row.locator("input[name=confirm]").fill("580413")
    row.locator("button:has-text('设置密码')").click()
    page.wait_for_load_state()
    assert "已为 陈志强（3102）设置新密码" in page.locator(".flash").inner_text()
    shot(page, "staff-reset-done")

    clerk_tablet.reload()  # the clerk's open tablet is signed out
    assert "/login" in clerk_tablet.url
    sign_in(clerk_tablet, live_server.url, "3102", "580413")
    assert "陈志强" in clerk_tablet.locator(".who").inner_text()
    clerk_tablet.goto(f"{live_server.url}/me/pin")

    page.locator("tr[data-staff='3102'] button:has-text('停用')").click()
    page.wait_for_load_state()
    assert "已停用" in page.locator("tr[data-staff='3102']").inner_text()
    shot(page, "staff-disabled")
    clerk_tablet.reload()
    assert "/login" in clerk_tablet.url
