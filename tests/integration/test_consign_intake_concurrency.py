"""Races on the intake side, on the suite's backend (run with --db all for both): two
managers making the same customer a consignor (one 201, one 409, one code), two intakes for
one consignor at once (every product code distinct, numbers in a row), and two withdrawals
racing for the last pieces (one 201, one 409 `consigned_on_hand`, stock never below 0)."""
from __future__ import annotations

from typing import Any

import factories
import pytest
from consignment_support import consignor, intake
from sqlalchemy import func, select
from test_concurrency_api import race

from showroom.catalog.models import Product
from showroom.consignment.models import Consignment, Consignor
from showroom.extensions import db

pytestmark = pytest.mark.concurrency
API = "/api/v1"


def test_two_managers_make_the_same_consignor(app: Any, api_headers: Any) -> None:
    with app.app_context():
        c = factories.customer(name="李明")
        db.session.commit()
        cid = c.id
    h = api_headers("manager")

    def send(client: Any, i: int) -> int:
        return int(client.post(f"{API}/consignors", json={"customer_id": cid},
                               headers=h).status_code)

    assert sorted(race(app, 2, send)) == [201, 409]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Consignor)) == 1
        db.session.rollback()


def test_two_intakes_at_once_get_distinct_codes(app: Any, api_headers: Any) -> None:
    with app.app_context():
        cid = consignor("李明").id
        db.session.commit()
    h = api_headers("reception")
    lines = [{"name": f"手镯{i}", "qty": 1, "price_wholesale": "10.00",
              "price_franchise": "9.00"} for i in range(3)]

    def send(client: Any, i: int) -> int:
        return int(client.post(f"{API}/consignments", headers=h | {"Idempotency-Key": f"k{i}"},
                               json={"consignor_id": cid, "lines": lines,
                                     "consignor_present": False}).status_code)

    assert race(app, 2, send) == [201, 201]
    with app.app_context():
        codes = sorted(db.session.scalars(select(Product.code).where(Product.consignor_id == cid)))
        head = codes[0].split("-")[0]
        assert codes == [f"{head}-{n:03d}" for n in range(1, 7)]
        numbers = sorted(db.session.scalars(select(Consignment.number)))
        assert len(set(numbers)) == 2
        db.session.rollback()


def test_two_withdrawals_race_for_the_last_pieces(app: Any, api_headers: Any) -> None:
    with app.app_context():
        k = intake(consignor("李明"), n=1, qty=3)
        db.session.commit()
        kid, pid = k.id, k.lines[0].product_id
        code = db.session.get(Product, pid).code
    h = api_headers("manager")

    def send(client: Any, i: int) -> Any:
        r = client.post(f"{API}/consignments/{kid}/withdrawals",
                        headers=h | {"Idempotency-Key": f"w{i}"},
                        json={"lines": [{"product_code": code, "qty": 2}]})
        return (r.status_code, (r.get_json() or {}).get("rule"))

    assert sorted(race(app, 2, send)) == [(201, None), (409, "consigned_on_hand")]
    with app.app_context():
        assert db.session.get(Product, pid).on_hand == 1
        db.session.rollback()
