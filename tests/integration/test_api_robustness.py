"""No input makes the API fail with a 5xx: random values in every field of every route.
And exactly-once settling when two tills send at the same moment."""
from __future__ import annotations

import json
import random
import threading
from typing import Any

import pytest
from api_support import API, seed_world, snapshot

from showroom.api.registry import ROUTES

VALUES: list[Any] = [
    None, True, False, 0, -1, 1, 2**31, 2**63, 10**30, 1.5, -0.0, 1e308, "", " ", "x" * 5000,
    "\x00", "\ud800", "１２", "12.50", "12.345", "-1", "1e5", "NaN", [], {}, [1], {"a": 1},
    "SL-0001", "6900000000011", "cash", "wholesale", "²", "٣", "'; DROP TABLE orders; --",
]


def _path(route: Any, world: dict[str, Any], rnd: random.Random) -> str:
    path = route.path
    for p in route.path_params:
        if p in route.int_params:
            value = rnd.choice([world["open"], world["awaiting"], world["settled"], 999_999,
                                2**31 - 1, world["open_line"]])
        else:
            value = rnd.choice(["x", "%00", "6900000000011", "%E2%82%AC", "a%2Fb", "%F0"])
        path = path.replace("{" + p + "}", str(value))
    return path


def _body(route: Any, rnd: random.Random) -> dict[str, Any]:
    props = list(route.body.model_json_schema().get("properties", {})) if route.body else []
    body = {k: rnd.choice(VALUES) for k in props if rnd.random() < 0.7}
    if "lines" in props and rnd.random() < 0.5:
        body["lines"] = [{"product_code": rnd.choice(VALUES), "qty": rnd.choice(VALUES),
                          "line_id": rnd.choice(VALUES)}]
    if "payments" in props and rnd.random() < 0.5:
        body["payments"] = [{"method": rnd.choice([*VALUES, "cash", "wechat", "on_account"]),
                             "amount": rnd.choice(VALUES), "tendered": rnd.choice(VALUES)}]
    return body


def test_random_input_never_gives_a_server_error(app, client, api_headers):
    world = seed_world(app)
    headers = api_headers("manager")
    rnd = random.Random(20261122)
    failures = []
    for route in ROUTES:
        qprops = list(route.query.model_json_schema()["properties"]) if route.query else []
        for _ in range(40):
            extra = dict(headers)
            if route.idempotent and rnd.random() < 0.3:
                extra["Idempotency-Key"] = rnd.choice(["k1", "k2", " ", "é"])
            if route.versioned and rnd.random() < 0.3:
                extra["If-Match"] = rnd.choice(['"1"', 'W/"99999999999"', "*", "²", '"0"'])
            query = {k: str(rnd.choice(VALUES)).replace("\ud800", "?")
                     for k in qprops if rnd.random() < 0.7}
            resp = client.open(API + _path(route, world, rnd), method=route.method,
                               data=json.dumps(_body(route, rnd)), headers=extra,
                               content_type="application/json", query_string=query)
            if resp.status_code >= 500 or (resp.status_code >= 400 and
                                           resp.mimetype != "application/problem+json"):
                failures.append((route.method, route.path, resp.status_code,
                                 resp.get_data(as_text=True)[:200]))
    assert not failures, failures[:10]


@pytest.mark.concurrency
@pytest.mark.parametrize("same_key", [True, False], ids=["same-key", "different-keys"])
def test_two_tills_settle_the_same_order_at_once(app, api_headers, same_key):
    world = seed_world(app)
    headers = api_headers("cashier")
    url = f"{API}/orders/{world['awaiting']}/settle"
    body = {"payments": [{"method": "cash", "amount": "101.00"}]}
    start = threading.Barrier(2)
    results: list[tuple[int, Any]] = []

    def till(key: str) -> None:
        client = app.test_client()
        start.wait()
        resp = client.post(url, json=body, headers=headers | {"Idempotency-Key": key})
        results.append((resp.status_code, resp.get_json(force=True)))

    threads = [threading.Thread(target=till, args=("same" if same_key else f"k{i}",))
               for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    statuses = sorted(s for s, _b in results)
    if same_key:
        assert statuses == [200, 200]
        assert results[0][1] == results[1][1]
    else:
        assert statuses == [200, 409]
    after = snapshot(app)
    assert after["counts"]["settlements"] == 2  # the world's settled order + this one
    assert after["counts"]["payments"] == 2
