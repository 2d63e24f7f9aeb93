"""`flask showroom seed-demo`: counts, valid barcodes, balances = ledgers, stock = moves,
every role staffed, logins printed, --if-empty, atomic on failure, deterministic data."""
from __future__ import annotations

import random
from typing import Any

import pytest
from sqlalchemy import func, select

from showroom import demo_data
from showroom.auth.models import ROLES, Staff
from showroom.catalog.importer import valid_ean13
from showroom.catalog.models import Area, Product, StockMove, StockReceipt
from showroom.customers.models import Customer, LedgerEntry
from showroom.errors import ValidationFailed
from showroom.extensions import db


def _count(model: Any) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
def seeded(app: Any, runner: Any) -> Any:
    result = runner.invoke(args=["showroom", "seed-demo"])
    assert result.exit_code == 0, result.output
    return result


def test_seed_demo_catalog(app: Any, seeded: Any) -> None:
    with app.app_context():
        products = list(db.session.scalars(select(Product)))
        assert len(products) >= 500
        barcodes = [p.barcode for p in products]
        assert all(b and valid_ean13(b) and b.startswith("69") for b in barcodes)
        assert len(set(barcodes)) == len(barcodes)
        assert len({p.name for p in products}) == len(products)
        prefixes = {p.code.split("-")[0] for p in products}
        assert prefixes == {"JZ", "SL", "XL", "EH", "SZ", "DZ", "JL", "XZ"}
        assert all(0 < p.price_franchise < p.price_wholesale for p in products)
        assert all(p.area_id and p.category and p.material and p.origin for p in products)
        with_care = [p for p in products if p.care_note]
        assert 0 < len(with_care) < len(products)
        moved = dict(db.session.execute(
            select(StockMove.product_id, func.sum(StockMove.qty)).group_by(StockMove.product_id)
        ).tuples().all())
        for p in products:
            assert p.on_hand == moved.get(p.id, 0), p.code
        out_of_stock = [p for p in products if p.on_hand == 0]
        assert 0 < len(out_of_stock) < len(products) // 4
        assert _count(StockReceipt) >= 1
        reasons = set(db.session.scalars(select(StockMove.reason)))
        assert reasons == {"receipt", "sale"}  # sales: the demo orders at the bench
        areas = list(db.session.scalars(select(Area)))
        assert 6 <= len(areas) <= 8 and all(a.owner_id for a in areas)


def test_seed_demo_customers_and_ledgers(app: Any, seeded: Any) -> None:
    with app.app_context():
        customers = list(db.session.scalars(select(Customer)))
        assert len(customers) == 50
        assert {c.kind for c in customers} == {"wholesale", "franchise"}
        assert len({c.phone for c in customers}) == 50
        assert all(c.phone.isdigit() and len(c.phone) == 11 and c.phone[0] == "1"
                   for c in customers)
        assert any(not c.address for c in customers)  # the cashier must complete these
        assert len({c.region.split()[0] for c in customers}) >= 8
        sums = dict(db.session.execute(
            select(LedgerEntry.customer_id, func.sum(LedgerEntry.amount))
            .group_by(LedgerEntry.customer_id)).tuples().all())
        for c in customers:
            assert c.balance == sums.get(c.id, 0), c.code
        assert sum(c.balance > 0 for c in customers) >= 5  # 欠款
        assert sum(c.balance < 0 for c in customers) >= 5  # 余款
        notes = set(db.session.scalars(select(LedgerEntry.note)))
        assert "期初欠款" in notes and any(n.startswith("期初余款") for n in notes)
        kinds = set(db.session.scalars(select(LedgerEntry.kind)))
        assert kinds == {"adjustment", "payment", "sale"}


def test_seed_demo_orders_wait_at_the_bench_and_the_shipping_desk(app: Any, seeded: Any) -> None:
    from showroom.orders.models import Order
    from showroom.packing.queries import packing_queue
    from showroom.printjobs.models import PrintJob

    with app.app_context():
        assert len(packing_queue()) == 3
        packed = db.session.scalars(select(Order).where(Order.status == "packed")).all()
        assert len(packed) == 1
        labels = db.session.scalars(select(PrintJob.ref).where(
            PrintJob.order_id == packed[0].id, PrintJob.document == "box_label")).all()
        assert labels == [f"{packed[0].number}-1", f"{packed[0].number}-2"]
        assert "3 settled orders wait at the packing bench" in seeded.output


def test_seed_demo_staff_and_printed_logins(app: Any, seeded: Any, runner: Any) -> None:
    """seed-demo points at demo-logins, which prints the table once (make run calls both)."""
    assert "Demo logins" not in seeded.output and "demo-logins" in seeded.output
    printed = runner.invoke(args=["showroom", "demo-logins"])
    assert printed.exit_code == 0 and printed.output.count("Demo logins") == 1
    with app.app_context():
        staff = list(db.session.scalars(select(Staff)))
        for role in ROLES:
            assert any(role in s.role_set for s in staff), role
        assert sum("clerk" in s.role_set for s in staff) == 3
        assert any(len(s.role_set) == 2 for s in staff)
    for staff_no, name, roles, pin in demo_data.STAFF:
        line = next(ln for ln in printed.output.splitlines() if ln.strip().startswith(staff_no))
        assert name in line and pin in line and roles[0] in line


def test_demo_logins_work(app: Any, seeded: Any, client: Any) -> None:
    staff_no, _name, _roles, pin = demo_data.STAFF[4]
    resp = client.post("/login", data={"staff_no": staff_no, "pin": pin})
    assert resp.status_code == 302


def test_if_empty_does_nothing_on_a_seeded_database(app: Any, seeded: Any, runner: Any) -> None:
    with app.app_context():
        before = (_count(Staff), _count(Product), _count(Customer), _count(LedgerEntry))
    again = runner.invoke(args=["showroom", "seed-demo", "--if-empty"])
    assert again.exit_code == 0, again.output
    assert "nothing seeded" in again.output
    refused = runner.invoke(args=["showroom", "seed-demo"])
    assert refused.exit_code != 0 and "not empty" in refused.output
    with app.app_context():
        assert (_count(Staff), _count(Product), _count(Customer), _count(LedgerEntry)) == before


def test_if_empty_counts_a_lone_staff_member(app: Any, runner: Any, make_staff: Any) -> None:
    make_staff("manager")
    result = runner.invoke(args=["showroom", "seed-demo", "--if-empty"])
    assert result.exit_code == 0 and "nothing seeded" in result.output
    with app.app_context():
        assert _count(Product) == 0


def test_seed_is_atomic(app: Any, runner: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import showroom.seed

    def broken(*_a: Any, **_k: Any) -> None:
        raise ValidationFailed("boom")

    monkeypatch.setattr(showroom.seed, "seed_customers", broken)
    result = runner.invoke(args=["showroom", "seed-demo"])
    assert result.exit_code != 0 and "nothing written" in result.output
    with app.app_context():
        assert _count(Staff) == _count(Product) == _count(StockMove) == _count(Area) == 0


def test_demo_data_is_deterministic() -> None:
    one = demo_data.products(random.Random(7), 300), demo_data.customers(random.Random(7))
    two = demo_data.products(random.Random(7), 300), demo_data.customers(random.Random(7))
    assert one == two
    assert demo_data.products(random.Random(8), 300) != one[0]


def test_demo_logins_command(app: Any, runner: Any) -> None:
    empty = runner.invoke(args=["showroom", "demo-logins"])
    assert empty.exit_code == 0 and "no demo staff" in empty.output
    assert runner.invoke(args=["showroom", "seed-demo"]).exit_code == 0
    assert runner.invoke(args=["staff", "disable", "1001"]).exit_code == 0
    result = runner.invoke(args=["showroom", "demo-logins"])
    assert result.exit_code == 0, result.output
    lines = {ln.split()[0]: ln for ln in result.output.splitlines()[2:] if ln.strip()}
    assert "(disabled)" in lines["1001"] and "100500" in lines["1005"]


def test_seed_without_tables_says_what_to_do(app: Any, tmp_path: Any) -> None:
    from testconfig import test_config

    from showroom import create_app

    blank = create_app(test_config(f"sqlite:///{tmp_path / 'no-tables.db'}"))
    result = blank.test_cli_runner().invoke(args=["showroom", "seed-demo"])
    assert result.exit_code != 0 and "flask db upgrade" in result.output
    with blank.app_context():
        db.engine.dispose()


def test_seed_demo_gives_every_station_a_spool_printer(app: Any, seeded: Any) -> None:
    from pathlib import Path

    from showroom.printjobs.models import Printer
    from showroom.printjobs.routing import DEFAULT_STATIONS, printer_for

    with app.app_context():
        printers = db.session.scalars(select(Printer)).all()
        assert {p.station for p in printers} == set(DEFAULT_STATIONS.values())
        assert all(Path(p.connection.removeprefix("file://")).is_dir() for p in printers)
        assert all(printer_for(kind, station) is not None for kind, station in DEFAULT_STATIONS.items())
