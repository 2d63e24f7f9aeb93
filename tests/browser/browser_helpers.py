"""Data set-up for browser tests, committed through the live app's own session."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import factories

from showroom.extensions import db

PIN = "246810"
SCREENS = Path(__file__).resolve().parents[2] / "artifacts" / "screens"


def make_staff_in(app: Any, *roles: str, staff_no: str, name: str) -> dict[str, Any]:
    with app.app_context():
        s = factories.staff(*roles, staff_no=staff_no, name=name, pin=PIN)
        db.session.commit()
        return {"id": s.id, "staff_no": s.staff_no, "name": s.name, "pin": PIN}


def shot(page: Any, name: str) -> Path:
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page: Any, base_url: str, staff_no: str, pin: str) -> None:
    page.goto(f"{base_url}/login")
    page.fill("input[name=staff_no]", staff_no)
    page.fill("input[name=pin]", pin)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def view(page: Any, name: str) -> Path:
    """A screenshot of the 1024×768 viewport as the person sees it (`shot` takes the page)."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def in_view(page: Any, selector: str, height: int = 768) -> None:
    """The element (the first match) is inside the viewport without scrolling. Measured
    once the page has loaded: right after a full-page post the new page's DOM is there
    before its stylesheets, and a box measured then is the unstyled layout (one run in
    five found the complaint's sign button at y=934 that way)."""
    page.wait_for_load_state("load")
    box = page.locator(selector).first.bounding_box()
    assert box is not None and box["y"] + box["height"] <= height, (selector, box)
