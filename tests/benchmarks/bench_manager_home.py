"""The manager's home on two years of trade (the 1,000,000-line database): the page
(`GET /manager`, signed in, HTML with the embedded JSON) and `GET /api/v1/dashboard` for
the last 30 days and for this year (target p95 ≤ 300 ms), the figures through the service,
and the monthly PDF report (`GET /manager/report/<YYYY-MM>.pdf`, figures + reportlab).

The weekly service-level chart keeps the tallies of ended weeks (service_levels/kept.py):
the warm-up views keep them, as the first view of a showroom's day does. "first view"
rows clear them before every repetition: the cost of a view after every week changed.
The service is timed read-only (DEFERRED on SQLite), as the page and the API call it.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from harness import Result, measure
from world import CSRF_META, World

from showroom.clock import local, now_utc
from showroom.db import deferred_reads
from showroom.extensions import db
from showroom.manager.figures import dashboard
from showroom.manager.period import Period
from showroom.service_levels.models import KeptWeek

TARGET_MS = 300.0
PDF_MS = 1000.0
COLD_MS = 1000.0
WARMUP = 2


def run(world: World, reps: int) -> list[Result]:
    web = _manager_web(world)
    today = local(now_utc(), world.app.config["SHOWROOM_TIMEZONE"]).date()
    periods = {"last 30 days": Period(today - timedelta(days=29), today),
               "this year": Period(today.replace(month=1, day=1), today)}
    out: list[Result] = []
    for name, period in periods.items():
        result = Result(f"manager's home, {name}", "service", target_p95=TARGET_MS)
        with world.app.app_context():
            measure(result, reps, lambda i, p=period: p, _service, warmup=WARMUP)
            db.session.remove()
        out.append(result)
        query = f"from={period.start.isoformat()}&to={period.end.isoformat()}"
        result = Result(f"manager's home, {name}", "api", target_p95=TARGET_MS)
        measure(result, reps, lambda i, q=query: q, lambda q: _api(world, q), warmup=WARMUP)
        out.append(result)
        result = Result(f"manager's home, {name}", "page", target_p95=TARGET_MS)
        measure(result, reps, lambda i, q=query: q, lambda q: _page(web, q), warmup=WARMUP)
        out.append(result)
    year = f"from={periods['this year'].start.isoformat()}&to={today.isoformat()}"
    result = Result("manager's home, this year, first view", "api", target_p95=COLD_MS,
                    note="nothing kept: every week counted")
    measure(result, max(5, reps // 3), lambda i: _forget_kept(world) or year,
            lambda q: _api(world, q), warmup=1)
    out.append(result)
    month = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    result = Result("monthly report PDF (last month)", "page", target_p95=PDF_MS)
    measure(result, max(5, reps // 2), lambda i: month, lambda m: _pdf(web, m), warmup=1)
    out.append(result)
    return out


def _manager_web(world: World) -> Any:
    staff, pin = world.meta["staff"], world.meta["pin"]
    web = world.app.test_client()
    html = web.get("/login").get_data(as_text=True)
    found = CSRF_META.search(html)
    assert found
    resp = web.post("/login", data={"staff_no": staff["manager"], "pin": pin,
                                    "csrf_token": found.group(1)})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    return web


def _forget_kept(world: World) -> None:
    with world.app.app_context():
        db.session.execute(KeptWeek.__table__.delete())
        db.session.commit()


def _service(period: Period) -> Any:
    with deferred_reads():
        d = dashboard(period)
    assert d.orders > 0, "no settled orders in the benchmark's period"
    db.session.rollback()


def _api(world: World, query: str) -> Any:
    resp = world.api.get(f"/api/v1/dashboard?{query}", headers=world.manager_headers)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]


def _page(web: Any, query: str) -> Any:
    resp = web.get(f"/manager?{query}")
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]


def _pdf(web: Any, month: str) -> Any:
    resp = web.get(f"/manager/report/{month}.pdf")
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF"), resp.status_code
