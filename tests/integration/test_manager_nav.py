"""The top bar of a manager keeps to one row at 1024 px: the manager's own tabs (figures,
back office, service levels) stay on it, the floor screens of roles they do not hold
themselves sit in one 现场 menu; a floor role they do hold keeps its tab."""
from __future__ import annotations

import re
from typing import Any


def _tabs(html: str) -> tuple[str, str]:
    nav = html[html.index('<nav class="tabs">'):html.index("</nav>")]
    if 'id="nav-floor"' not in nav:
        return nav, ""
    top, menu = nav.split('<details class="nav-floor"', 1)
    return top, menu


def test_a_manager_finds_the_floor_in_one_menu(client: Any, login_as: Any) -> None:
    login_as("manager")
    top, menu = _tabs(client.get("/customers/").get_data(as_text=True))
    assert 'id="nav-manager-home"' in top and 'id="nav-service-levels"' in top
    assert 'href="/reception/"' not in top and 'href="/reception/"' in menu
    assert 'href="/packing/"' in menu and 'id="nav-repairs"' in menu
    assert len(re.findall(r"<a href=", top)) <= 6


def test_a_cashier_who_is_also_manager_keeps_the_cashier_tabs(client: Any, login_as: Any) -> None:
    login_as("cashier", "manager")
    top, menu = _tabs(client.get("/customers/").get_data(as_text=True))
    assert 'href="/cashier/"' in top and 'href="/cashier/"' not in menu
    assert 'href="/packing/"' in menu


def test_floor_staff_have_no_menu(client: Any, login_as: Any) -> None:
    login_as("packer")
    top, menu = _tabs(client.get("/customers/").get_data(as_text=True))
    assert menu == "" and 'href="/packing/"' in top and 'href="/reception/"' not in top
