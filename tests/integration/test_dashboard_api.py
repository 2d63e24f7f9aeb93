"""GET /api/v1/dashboard: managers only; the figures equal a row-by-row count and the
page's embedded JSON; bad dates, a reversed period or one over a year → 422 with a message;
documented in the OpenAPI document."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from api_support import API, assert_problem
from manager_support import TODAY, brute_force, build_history, fake_weekly

from showroom.money import fen_str


@pytest.fixture
def history(app: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setattr("showroom.service_levels.weekly.weekly", fake_weekly)
    return build_history(app)


def test_figures_equal_direct_counts(app: Any, client: Any, api_headers: Any,
                                     history: dict[str, Any]) -> None:
    resp = client.get(f"{API}/dashboard", headers=api_headers("manager"))
    assert resp.status_code == 200, resp.get_data(as_text=True)
    body = resp.get_json()
    start = TODAY - timedelta(days=29)
    assert (body["from"], body["to"]) == (start.isoformat(), TODAY.isoformat())
    assert set(body) == {"from", "to", "sales_per_day", "payments_by_method", "debt_ageing",
                         "service_levels_weekly", "complaints_by_category", "headline"}
    with app.app_context():
        brute = brute_force(start, TODAY)
    assert len(body["sales_per_day"]) == 30
    for row in body["sales_per_day"]:
        day = date.fromisoformat(row["date"])
        assert row["sales"] == fen_str(brute["sales"].get(day, 0))
        assert row["orders"] == brute["orders"].get(day, 0)
        assert set(row) >= {"date", "sales", "orders"}
    for row in body["payments_by_method"]:
        amount, count = brute["methods"].get(row["method"], [0, 0])
        assert (row["amount"], row["count"]) == (fen_str(amount), count)
    assert [r["method"] for r in body["payments_by_method"]] == [
        "cash", "bank_transfer", "wechat", "alipay", "on_account"]
    assert body["debt_ageing"] == [
        {"bucket": "0_30", "customers": 1, "amount": "100.00"},
        {"bucket": "31_90", "customers": 1, "amount": "100.00"},
        {"bucket": "90_plus", "customers": 1, "amount": "250.00"}]
    assert body["service_levels_weekly"][0] == {"week_start": "2026-11-09",
                                                "code": "greeting_1min", "met": 9,
                                                "total": 10, "share": 0.9}
    assert body["service_levels_weekly"][-1]["share"] is None
    assert {r["category"]: r["count"] for r in body["complaints_by_category"]} == {
        k: brute["categories"].get(k, 0)
        for k in ("quality", "service", "delivery", "price", "other")}
    h = body["headline"]
    assert h["sales"] == fen_str(sum(brute["sales"].values())) == "1300.00"
    assert h["orders"] == sum(brute["orders"].values()) == 6
    assert (h["debt_total"], h["credit_total"], h["complaints_open"]) == ("450.00", "200.00", 4)
    assert h["payments_total"] == "1450.00" and h["net_sales"] == "1200.00"
    october = client.get(f"{API}/dashboard?from=2026-10-01&to=2026-10-31",
                         headers=api_headers("manager")).get_json()
    assert october["headline"]["sales"] == "800.00" and len(october["sales_per_day"]) == 31


def test_the_page_embeds_the_same_json(client: Any, api_headers: Any, login_as: Any,
                                       history: dict[str, Any]) -> None:
    import json
    import re
    from html import unescape

    api = client.get(f"{API}/dashboard?from=2026-11-01&to=2026-11-22",
                     headers=api_headers("manager")).get_json()
    login_as("manager")
    html = client.get("/manager?from=2026-11-01&to=2026-11-22").get_data(as_text=True)
    block = re.search(r'id="dashboard-data">(.*?)</script>', html, re.S)
    assert block is not None
    assert json.loads(unescape(block.group(1)))["data"] == api


@pytest.mark.parametrize("role", ["cashier", "reception", "clerk", "packer", "shipper"])
def test_managers_only(client: Any, api_headers: Any, role: str) -> None:
    assert_problem(client.get(f"{API}/dashboard", headers=api_headers(role)), 403)


def test_needs_a_token(client: Any) -> None:
    assert_problem(client.get(f"{API}/dashboard"), 401)


@pytest.mark.parametrize(("query", "field"), [
    ("from=2026-02-30", "from"), ("from=yesterday", "from"), ("to=2026-1-1", "to"),
    ("from=2026-11-23&to=2026-11-22", "from"), ("from=2025-01-01&to=2026-01-02", "to"),
    ("from=1999-12-31&to=2000-01-01", "from"), ("from=" + "9" * 30, "from"),
    ("from=2026-11-01%00", "from"),
])
def test_bad_periods_are_422(client: Any, api_headers: Any, query: str, field: str) -> None:
    body = assert_problem(client.get(f"{API}/dashboard?{query}",
                                     headers=api_headers("manager")), 422, field)
    assert body["detail"]


def test_a_whole_year_is_allowed(client: Any, api_headers: Any) -> None:
    resp = client.get(f"{API}/dashboard?from=2024-01-01&to=2024-12-31",
                      headers=api_headers("manager"))
    assert resp.status_code == 200
    assert len(resp.get_json()["sales_per_day"]) == 366


def test_openapi_documents_it(client: Any) -> None:
    doc = client.get(f"{API}/openapi.json").get_json()
    op = (doc["paths"].get("/api/v1/dashboard") or doc["paths"]["/dashboard"])["get"]
    names = {p["name"] for p in op.get("parameters", [])}
    assert {"from", "to"} <= names
    assert {"401", "403", "422"} <= set(op["responses"])
