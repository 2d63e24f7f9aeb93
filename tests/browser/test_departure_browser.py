"""Seeing the customer off in a real browser: reception opens the see-off screen from the
visit, submits without ticking belongings (refused, shown, nothing written), then taps
the big toggles and the travel-mode button and closes the visit; the screen in Chinese
and English is saved for a person to look at."""
from __future__ import annotations

import factories
import pytest
from browser_helpers import make_staff_in, shot, sign_in

from showroom.extensions import db
from showroom.reception import services as svc
from showroom.reception.models import Visit

pytestmark = pytest.mark.browser


def test_see_off_from_the_visit(live_server, browser_page):
    app, url, page = live_server.app, live_server.url, browser_page
    make_staff_in(app, "reception", staff_no="1001", name="周前台")
    with app.app_context():
        c = factories.customer(name="陈老板", phone="13911112222")
        vid = svc.start_visit(c.id, locker_no="12", purpose="补货").id
        db.session.commit()
    page.set_viewport_size({"width": 1024, "height": 900})  # a tablet on its side
    sign_in(page, url, "1001", "246810")

    page.goto(f"{url}/reception/visits/{vid}?lang=en")
    page.click(f"a[href$='/reception/visits/{vid}/see-off']")
    page.wait_for_load_state()
    assert "Walk the customer downstairs" in page.inner_text(".so-remind")
    shot(page, "see_off-en")

    # the big buttons are thumb-sized
    for sel in (".so-toggle", ".so-mode", ".so-submit"):
        box = page.locator(sel).first.bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 44, sel

    # key back and a travel mode, but belongings not ticked: refused, nothing written
    page.click(".so-toggle:has(input[name=locker_key_returned])")
    page.click(".so-mode:has(input[value=train])")
    page.click(".so-submit")
    page.wait_for_load_state()
    assert "remind the customer" in page.inner_text("main")
    assert page.locator("input[value=train]").is_checked()  # the choice survives the refusal
    shot(page, "see_off-refused-en")
    with app.app_context():
        assert db.session.get(Visit, vid).status != "left"

    page.goto(f"{url}/reception/visits/{vid}/see-off?lang=zh_CN")
    page.click(".so-toggle:has(input[name=locker_key_returned])")
    page.click(".so-toggle:has(input[name=belongings_taken])")
    page.click(".so-toggle:has(input[name=new_goods_opt_in])")
    page.click(".so-mode:has(input[value=own_car])")
    assert page.locator("input[name=belongings_taken]").is_checked()
    shot(page, "see_off-zh")
    page.click(".so-submit")
    page.wait_for_load_state()
    assert page.url.rstrip("/").endswith("/reception")
    with app.app_context():
        v = db.session.get(Visit, vid)
        assert v.status == "left" and v.travel_mode == "own_car" and v.belongings_taken
        assert v.customer.new_goods_first
    shot(page, "see_off-done-zh")
