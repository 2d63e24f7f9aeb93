"""The running app on the working copy of the benchmark database, its signed-in clients, and
the untimed helpers the benchmarks use to set up and undo their work.

Helpers run in their own app context (their own session) and commit; HTTP calls run with
no app context pushed, so the request gets a fresh session exactly as in production.
"""
from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datagen import ledger_mismatches
from flask import Flask
from sqlalchemy import delete, func, insert, select, update

from showroom import create_app
from showroom.auth.models import Staff
from showroom.catalog.models import Product
from showroom.clock import now_utc
from showroom.customers.models import Customer
from showroom.extensions import db
from showroom.orders.models import AWAITING, Order, OrderLine
from showroom.orders.services import add_line, create_order

CSRF_META = re.compile(r'name="csrf-token" content="([^"]+)"')


@dataclass
class Item:
    id: int
    code: str
    barcode: str
    wholesale: int
    franchise: int


def working_copy(golden: Path) -> Path:
    """A fresh copy of the cached database, so every run starts from the same data."""
    work = golden.parent / "work.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(golden, work)
    return work


class World:
    def __init__(self, db_path: Path, meta: dict[str, Any], rng: Any) -> None:
        self.meta, self.rng = meta, rng
        # Production settings (CSRF on, real argon2 cost) on the working copy.
        self.app: Flask = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}",
                                      "SECRET_KEY": "bench-secret"})
        staff, pin = meta["staff"], meta["pin"]
        self.api = self.app.test_client()
        self.clerk_headers = self._token(staff["clerk"], pin, None)
        self.cashier_headers = self._token(staff["cashier"], pin, "cashier-1")
        self.manager_headers = self._token(staff["manager"], pin, "pack-1")  # packs, ships
        self.search_headers = self.clerk_headers
        self.web = self.app.test_client()
        csrf = self._csrf(self.web.get("/login").get_data(as_text=True))
        resp = self.web.post("/login", data={"staff_no": staff["clerk"], "pin": pin, "csrf_token": csrf})
        assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
        self.web_csrf = self._csrf(self.web.get("/picking/").get_data(as_text=True))
        with self.ctx():
            self.n_products = db.session.scalar(select(func.max(Product.id))) or 0
            self.n_customers = db.session.scalar(select(func.max(Customer.id))) or 0
            self.cashier_id = db.session.scalar(select(Staff.id).where(Staff.staff_no == staff["cashier"]))

    def _token(self, staff_no: str, pin: str, station: str | None) -> dict[str, str]:
        body = {"staff_no": staff_no, "pin": pin} | ({"station": station} if station else {})
        resp = self.api.post("/api/v1/auth/token", json=body)
        assert resp.status_code == 200, resp.get_data(as_text=True)
        return {"Authorization": f"Bearer {resp.get_json()['token']}"}

    @staticmethod
    def _csrf(html: str) -> str:
        found = CSRF_META.search(html)
        assert found, "no csrf-token meta in the page"
        return found.group(1)

    @contextmanager
    def ctx(self) -> Iterator[None]:
        with self.app.app_context():
            try:
                yield
            finally:
                db.session.rollback()
                db.session.remove()

    # --- data for the benchmarks ---------------------------------------------------

    def products(self, n: int, exclude: set[int] | frozenset[int] = frozenset(),
                 min_stock: int = 5) -> list[Item]:
        """n distinct random products with at least `min_stock` on hand."""
        out: list[Item] = []
        seen = set(exclude)
        with self.ctx():
            while len(out) < n:
                ids = {self.rng.randint(1, self.n_products) for _ in range((n - len(out)) * 2)} - seen
                rows = db.session.execute(
                    select(Product.id, Product.code, Product.barcode, Product.price_wholesale,
                           Product.price_franchise)
                    .where(Product.id.in_(ids), Product.on_hand >= min_stock)).all()
                for row in rows[: n - len(out)]:
                    out.append(Item(*row))
                    seen.add(row[0])
                seen |= ids
        return out

    def customer(self) -> int:
        return self.rng.randint(1, self.n_customers)

    def open_order(self, lines: int) -> tuple[int, set[int]]:
        """An open order with `lines` lines, added through the service like a clerk would."""
        items = self.products(lines)
        with self.ctx():
            order = create_order(self.customer())
            for item in items:
                add_line(order.id, barcode=item.barcode)
            db.session.commit()
            return order.id, {i.id for i in items}

    def drop_line(self, order_id: int, product_id: int) -> None:
        """Undo a timed add (delete the line, restore the cached totals) so the order
        keeps its size for the next repetition."""
        with self.ctx():
            line = db.session.execute(
                select(OrderLine.id, OrderLine.qty, OrderLine.unit_price)
                .where(OrderLine.order_id == order_id, OrderLine.product_id == product_id)).one()
            db.session.execute(delete(OrderLine).where(OrderLine.id == line.id))
            db.session.execute(update(Order).where(Order.id == order_id).values(
                total=Order.total - line.qty * line.unit_price, line_count=Order.line_count - 1))
            db.session.commit()

    def submitted_order(self, lines: int) -> tuple[int, int]:
        """A submitted order of `lines` distinct products awaiting the cashier: (id, total).
        Built with one executemany (what `lines` scans would have left behind)."""
        items = self.products(lines, min_stock=10)
        with self.ctx():
            order = create_order(self.customer())
            kind = db.session.get(Customer, order.customer_id).kind  # type: ignore[union-attr]
            rows = [{"order_id": order.id, "product_id": it.id, "qty": self.rng.choice((1, 1, 2, 3)),
                     "unit_price": it.franchise if kind == "franchise" else it.wholesale,
                     "returned_qty": 0, "added_at": now_utc(), "note": ""} for it in items]
            db.session.execute(insert(OrderLine.__table__), rows)
            total = sum(r["qty"] * r["unit_price"] for r in rows)
            db.session.execute(update(Order).where(Order.id == order.id).values(
                total=total, line_count=len(rows), status=AWAITING, submitted_at=now_utc(),
                version=len(rows) + 2).execution_options(synchronize_session=False))
            db.session.commit()
            return order.id, total

    def ledger_mismatches(self) -> dict[str, int]:
        """Products whose on_hand differs from their stock moves, customers whose balance
        differs from their ledger: both should be 0 after the benchmarks too."""
        with self.ctx():
            return ledger_mismatches()
