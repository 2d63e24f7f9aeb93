"""The service-level dashboard and `GET /api/v1/service-levels` through the test client:
managers only, the figures of a fixed calendar, late and at-risk items with links to their
sources, bad dates refused with a message (422) and nothing else changed."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from service_levels_support import add, world

from showroom import bizcal
from showroom.clock import set_now, showroom_tz
from showroom.extensions import db

TZ = showroom_tz("Asia/Shanghai")
NOW = datetime(2026, 10, 9, 16, 0, tzinfo=TZ)  # Friday after 国庆


@pytest.fixture
def data(app: Any) -> dict[str, Any]:
    with app.app_context():
        w = world()
        oct9 = datetime(2026, 10, 9, 10, 0, tzinfo=TZ)
        made = {
            "greeted": add("greeting_1min", w, oct9, None, oct9 + timedelta(seconds=40)),
            "slow": add("greeting_1min", w, oct9, None, oct9 + timedelta(minutes=3)),
            "inq_risky": add("inquiry_callback_24h", w, datetime(2026, 10, 8, 9, 0, tzinfo=TZ),
                             bizcal.due_after(datetime(2026, 10, 8, 9, 0, tzinfo=TZ),
                                              working_hours=14), None),
            "order_late": add("online_answer_same_day", w,
                              datetime(2026, 9, 30, 17, 55, tzinfo=TZ),
                              datetime(2026, 10, 8, 18, 0, tzinfo=TZ), None),
            "complaint_ok": add("complaint_first_response_24h", w,
                                datetime(2026, 10, 8, 10, 0, tzinfo=TZ),
                                datetime(2026, 10, 9, 10, 0, tzinfo=TZ),
                                datetime(2026, 10, 8, 11, 0, tzinfo=TZ)),
        }
        ids = {k: (v.id, getattr(v, "number", None)) for k, v in made.items()}
        db.session.commit()
    set_now(NOW.astimezone(TZ))
    return ids


def test_dashboard_shows_each_level_with_late_and_at_risk_items(
        client: Any, login_as: Any, data: dict[str, Any]) -> None:
    login_as("manager")
    html = client.get("/service-levels?from=2026-10-01&to=2026-10-09").get_data(as_text=True)
    for code in ("greeting_1min", "inquiry_callback_24h", "member_callback_3d",
                 "online_answer_same_day", "complaint_first_response_24h",
                 "repair_callback_next_day"):
        assert f'data-level="{code}"' in html
    row = html.split('data-level="greeting_1min"', 1)[1].split("</tr>", 1)[0]
    assert re.search(r'data-period="today" data-met="1" data-total="2"', row)
    assert 'class="sl-share warn"' not in row and "sl-share bad" in row  # 50 %
    late = html.split('data-late-of="greeting_1min"', 1)[1].split("</table>", 1)[0]
    slow_id = data["slow"][0]
    assert f'data-ref="V-{slow_id}"' in late and f'/reception/visits/{slow_id}"' in late
    order_no = data["order_late"][1]
    order_row = html.split(f'data-ref="{order_no}"', 1)[1].split("</tr>", 1)[0]
    assert "未办" in order_row  # not done yet
    risk = html.split('id="sl-at-risk"', 1)[1].split("</table>", 1)[0]
    assert f'data-ref="IQ-{data["inq_risky"][0]}"' in risk
    assert 'data-level="complaint_first_response_24h"' in html
    comp = html.split('data-level="complaint_first_response_24h"', 1)[1].split("</tr>", 1)[0]
    assert 'data-period="range" data-met="1" data-total="1"' in comp and "sl-share good" in comp


@pytest.mark.parametrize("role", ["reception", "clerk", "cashier", "packer", "shipper"])
def test_managers_only(client: Any, login_as: Any, api_headers: Any, role: str) -> None:
    login_as(role)
    assert client.get("/service-levels").status_code == 403
    assert client.get("/api/v1/service-levels", headers=api_headers(role)).status_code == 403


@pytest.mark.parametrize("query", ["from=2026-13-01", "to=yesterday",
                                   "from=2026-10-09&to=2026-10-01",
                                   "from=2025-01-01&to=2026-10-01", "from=2026-10-01%00"])
def test_bad_dates_are_422_with_a_message(client: Any, login_as: Any, api_headers: Any,
                                         data: dict[str, Any], query: str) -> None:
    login_as("manager")
    resp = client.get(f"/service-levels?{query}", headers={"Accept-Language": "en"})
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert 'id="sl-errors"' in page or "U+0000" in page  # NUL: the text rule's own page
    api = client.get(f"/api/v1/service-levels?{query}", headers=api_headers("manager"))
    assert api.status_code == 422
    body = api.get_json()
    assert api.content_type.startswith("application/problem+json") and body["detail"]


def test_api_matches_the_contract_and_the_figures(client: Any, api_headers: Any,
                                                  data: dict[str, Any]) -> None:
    resp = client.get("/api/v1/service-levels?from=2026-10-01&to=2026-10-09",
                      headers=api_headers("manager"))
    assert resp.status_code == 200, resp.get_data(as_text=True)
    body = resp.get_json()
    assert (body["from"], body["to"]) == ("2026-10-01", "2026-10-09")
    levels = {lv["code"]: lv for lv in body["levels"]}
    assert list(levels) == ["greeting_1min", "inquiry_callback_24h", "member_callback_3d",
                            "online_answer_same_day", "complaint_first_response_24h",
                            "repair_callback_next_day"]
    g = levels["greeting_1min"]
    assert (g["met"], g["total"], g["share"], g["late_count"]) == (1, 2, 0.5, 1)
    assert [i["ref"] for i in g["late"]] == [f"V-{data['slow'][0]}"]
    assert g["late"][0]["due_at"].startswith("2026-10-09T02:01:00")
    assert g["late"][0]["done_at"].startswith("2026-10-09T02:03:00")
    o = levels["online_answer_same_day"]
    assert [(i["ref"], i["done_at"]) for i in o["late"]] == [(data["order_late"][1], None)]
    assert levels["member_callback_3d"]["share"] is None
    risky = levels["inquiry_callback_24h"]["at_risk"]
    assert [i["ref"] for i in risky] == [f"IQ-{data['inq_risky'][0]}"]
    assert risky[0]["used"] >= 0.75 and risky[0]["left_seconds"] > 0
    assert {"code", "target", "met", "total", "share", "late"} <= set(g)


def test_openapi_documents_the_endpoint(client: Any) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    op = doc["paths"]["/api/v1/service-levels"]["get"]
    assert {p["name"] for p in op["parameters"]} >= {"from", "to"}
    assert "422" in op["responses"]


def test_nav_and_back_office_link_to_the_dashboard(client: Any, login_as: Any) -> None:
    login_as("manager")
    assert 'id="nav-service-levels"' in client.get("/catalog/").get_data(as_text=True)
    assert 'id="tile-service-levels"' in client.get("/catalog/").get_data(as_text=True)
