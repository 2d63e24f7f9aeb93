"""Idempotency-Key on opening and submitting orders: a tablet that lost the answer retries
blindly and gets the first answer back, never a second order (issue 9, item 7)."""
from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from api_support import API, assert_problem, seed_world, snapshot
from sqlalchemy import func, select

from showroom.extensions import db
from showroom.orders.models import Order


def _orders(app: Any) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(Order)) or 0)


def race(app: Any, n: int, call: Callable[[Any, int], Any]) -> list[Any]:
    """n threads, each with its own client, released at once; their results in order."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        client = app.test_client()
        barrier.wait()
        results[i] = call(client, i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_a_retried_create_returns_the_first_order(app, client, api_headers):
    world = seed_world(app)
    clerk = api_headers("clerk") | {"Idempotency-Key": str(uuid.uuid4())}
    payload = {"customer_id": world["other_customer"], "channel": "video"}
    before = _orders(app)
    first = client.post(f"{API}/orders", headers=clerk, json=payload)
    assert first.status_code == 201, first.get_data(as_text=True)
    assert "Idempotent-Replayed" not in first.headers
    after_first = snapshot(app)
    second = client.post(f"{API}/orders", headers=clerk, json=payload)
    assert (second.status_code, second.get_json()) == (201, first.get_json())
    assert second.headers["Idempotent-Replayed"] == "true"
    assert second.headers["ETag"] == first.headers["ETag"]
    assert snapshot(app) == after_first
    assert _orders(app) == before + 1


def test_without_a_key_a_retry_opens_a_second_order(app, client, api_headers):
    """What the key is for: the plain retry still opens another order."""
    world = seed_world(app)
    clerk = api_headers("clerk")
    payload = {"customer_id": world["other_customer"]}
    before = _orders(app)
    ids = {client.post(f"{API}/orders", headers=clerk, json=payload).get_json()["id"]
           for _ in range(2)}
    assert len(ids) == 2 and _orders(app) == before + 2


def test_the_same_key_with_another_body_is_409_and_writes_nothing(app, client, api_headers):
    world = seed_world(app)
    clerk = api_headers("clerk") | {"Idempotency-Key": "tablet-7-order-1"}
    assert client.post(f"{API}/orders", headers=clerk,
                       json={"customer_id": world["customer"]}).status_code == 201
    before = snapshot(app)
    body = assert_problem(client.post(f"{API}/orders", headers=clerk,
                                      json={"customer_id": world["other_customer"]}), 409)
    assert "Idempotency-Key" in body["detail"]
    # the same key on another route is another request too
    assert_problem(client.post(f"{API}/orders/{world['open']}/submit", headers=clerk,
                               json={}), 409)
    assert snapshot(app) == before


def test_a_refused_create_leaves_the_key_free(app, client, api_headers):
    world = seed_world(app)
    clerk = api_headers("clerk") | {"Idempotency-Key": "retry-after-fix"}
    assert_problem(client.post(f"{API}/orders", headers=clerk,
                               json={"customer_id": world["customer"], "channel": "fax"}),
                   422, "channel")
    resp = client.post(f"{API}/orders", headers=clerk,
                       json={"customer_id": world["customer"], "channel": "phone"})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    assert "Idempotent-Replayed" not in resp.headers


@pytest.mark.parametrize("bad", ["", " ", "x" * 81, "bell\x07"])
def test_a_malformed_key_is_refused_before_any_write(app, client, api_headers, bad):
    world = seed_world(app)
    clerk = api_headers("clerk") | {"Idempotency-Key": bad}
    before = snapshot(app)
    assert_problem(client.post(f"{API}/orders", headers=clerk,
                               json={"customer_id": world["customer"]}), 422, "Idempotency-Key")
    assert snapshot(app) == before


def test_a_retried_submit_replays_the_first_answer(app, client, api_headers):
    world = seed_world(app)
    clerk = api_headers("clerk") | {"Idempotency-Key": str(uuid.uuid4())}
    fresh = api_headers("clerk")
    url = f"{API}/orders/{world['open']}/submit"
    payload = {"version": world["open_version"]}
    first = client.post(url, headers=clerk, json=payload)
    assert first.status_code == 200, first.get_data(as_text=True)
    assert first.get_json()["status"] == "awaiting_settlement"
    after_first = snapshot(app)
    second = client.post(url, headers=clerk, json=payload)
    assert (second.status_code, second.get_json()) == (200, first.get_json())
    assert second.headers["Idempotent-Replayed"] == "true"
    assert snapshot(app) == after_first
    # a fresh key (or none) is a new request: the order is no longer open
    assert_problem(client.post(url, headers=clerk | {"Idempotency-Key": "another"}, json=payload),
                   409)
    assert_problem(client.post(url, headers=fresh, json=payload), 409)
    assert snapshot(app) == after_first


def test_a_submit_key_reused_with_another_version_is_409(app, client, api_headers):
    world = seed_world(app)
    clerk = api_headers("clerk") | {"Idempotency-Key": "submit-once"}
    url = f"{API}/orders/{world['open']}/submit"
    assert client.post(url, headers=clerk, json={"version": world["open_version"]}) \
        .status_code == 200
    before = snapshot(app)
    body = assert_problem(client.post(url, headers=clerk,
                                      json={"version": world["open_version"] + 1}), 409)
    assert "Idempotency-Key" in body["detail"]
    assert snapshot(app) == before


def test_a_refused_submit_leaves_the_key_free(app, client, api_headers):
    world = seed_world(app)
    clerk = api_headers("clerk") | {"Idempotency-Key": "submit-after-scan"}
    url = f"{API}/orders/{world['empty']}/submit"
    assert_problem(client.post(url, headers=clerk, json={}), 409)  # no lines yet
    scan = client.post(f"{API}/orders/{world['empty']}/lines", headers=api_headers("clerk"),
                       json={"product_code": world["p1"]})
    assert scan.status_code == 200, scan.get_data(as_text=True)
    resp = client.post(url, headers=clerk, json={})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert "Idempotent-Replayed" not in resp.headers


@pytest.mark.concurrency
def test_two_threads_racing_with_one_key_open_one_order(app, api_headers):
    world = seed_world(app)
    clerk = api_headers("clerk") | {"Idempotency-Key": "race-" + uuid.uuid4().hex}
    before = _orders(app)
    results = race(app, 2, lambda c, i: c.post(f"{API}/orders", headers=clerk, json={
        "customer_id": world["other_customer"], "channel": "phone"}))
    assert [r.status_code for r in results] == [201, 201], \
        [r.get_data(as_text=True) for r in results]
    assert results[0].get_json() == results[1].get_json()
    assert sorted(r.headers.get("Idempotent-Replayed", "") for r in results) == ["", "true"]
    assert _orders(app) == before + 1


@pytest.mark.concurrency
def test_eight_threads_racing_with_one_key_open_one_order(app, api_headers):
    world = seed_world(app)
    clerk = api_headers("clerk") | {"Idempotency-Key": "race8-" + uuid.uuid4().hex}
    before = _orders(app)
    results = race(app, 8, lambda c, i: c.post(f"{API}/orders", headers=clerk, json={
        "customer_id": world["customer"]}))
    assert {r.status_code for r in results} == {201}, [r.get_data(as_text=True) for r in results]
    assert len({r.get_data() for r in results}) == 1
    assert _orders(app) == before + 1


@pytest.mark.concurrency
def test_two_threads_racing_to_submit_with_one_key_both_get_the_answer(app, api_headers):
    world = seed_world(app)
    clerk = api_headers("clerk") | {"Idempotency-Key": "submit-race-" + uuid.uuid4().hex}
    url = f"{API}/orders/{world['open']}/submit"
    results = race(app, 2, lambda c, i: c.post(url, headers=clerk,
                                                json={"version": world["open_version"]}))
    assert [r.status_code for r in results] == [200, 200], \
        [r.get_data(as_text=True) for r in results]
    assert results[0].get_json() == results[1].get_json()
    assert results[0].get_json()["status"] == "awaiting_settlement"


def test_the_openapi_document_offers_the_key_on_create_and_submit(client):
    doc = client.get(f"{API}/openapi.json").get_json()
    for path in (f"{API}/orders", f"{API}/orders/{{order_id}}/submit"):
        op = doc["paths"][path]["post"]
        assert any(p["name"] == "Idempotency-Key" and p["in"] == "header"
                   for p in op["parameters"]), path
        assert "409" in op["responses"], path
        assert "Idempotency-Key" in op["description"], path
