"""The service-level dashboard on a year of service data (servicegen.py: 100,000 visits,
100,000 follow-ups, 20,000 inquiries, 5,000 complaints, 20,000 online orders on top of the
1,000,000-line database), target p95 ≤ 300 ms: through the service (`dashboard`), the
manager's screen `GET /service-levels` (session) and `GET /api/v1/service-levels`, each for
this month (the default) and for the whole year."""
from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from harness import Result, measure
from world import World

from showroom.extensions import db
from showroom.service_levels.dashboard import dashboard, today_local

TARGET_MS = 300.0
WARMUP = 3
CSRF_META = re.compile(r'name="csrf-token" content="([^"]+)"')


def _manager_client(world: World) -> Any:
    client = world.app.test_client()
    csrf = CSRF_META.search(client.get("/login").get_data(as_text=True))
    assert csrf
    resp = client.post("/login", data={"staff_no": world.meta["staff"]["manager"],
                                       "pin": world.meta["pin"], "csrf_token": csrf.group(1)})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    return client


def run(world: World, reps: int) -> list[Result]:
    with world.app.app_context():
        today = today_local()
        db.session.remove()
    ranges = {"this month": (today.replace(day=1), today),
              "a year": (today - timedelta(days=364), today)}
    web = _manager_client(world)
    out = []
    for label, (first, last) in ranges.items():
        query = f"from={first.isoformat()}&to={last.isoformat()}"
        service = Result(f"service levels, {label}", "service", target_p95=TARGET_MS)
        with world.app.app_context():
            measure(service, reps, lambda i: None, lambda _p: _service(first, last),
                    warmup=WARMUP)
            db.session.remove()
        screen = Result(f"service levels, {label}", "screen", target_p95=TARGET_MS)
        measure(screen, reps, lambda i: None, lambda _p: _get(web, f"/service-levels?{query}"),
                warmup=WARMUP)
        api = Result(f"service levels, {label}", "api", target_p95=TARGET_MS)
        measure(api, reps, lambda i: None,
                lambda _p: _get(world.api, f"/api/v1/service-levels?{query}",
                                world.manager_headers), warmup=WARMUP)
        out += [service, screen, api]
    return out


def _service(first: Any, last: Any) -> None:
    figures = dashboard(first, last)
    assert sum(f.range.total for f in figures) > 0, "no service data in the range"
    db.session.rollback()


def _get(client: Any, url: str, headers: dict[str, str] | None = None) -> None:
    resp = client.get(url, headers=headers or {})
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
