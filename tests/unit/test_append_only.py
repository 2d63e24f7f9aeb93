"""Ledgers are append-only in the database itself, not only by convention."""
from __future__ import annotations

import factories
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from showroom.customers.services import post_entry
from showroom.extensions import db


@pytest.mark.parametrize("sql", [
    "UPDATE ledger_entries SET amount = 0",
    "DELETE FROM ledger_entries",
    "UPDATE stock_moves SET qty = 0",
    "DELETE FROM stock_moves",
])
def test_ledger_tables_refuse_update_and_delete(ctx, sql):
    cust = factories.customer()
    factories.product(stock=3)
    post_entry(cust.id, "adjustment", 500, note="期初欠款")
    db.session.commit()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text(sql))
    db.session.rollback()


@pytest.mark.parametrize("sql", ["UPDATE packing_ticks SET qty = 2", "DELETE FROM packing_ticks"])
def test_packing_ticks_refuse_update_and_delete(ctx, sql):
    """Who ticked which unit into which box is evidence: it cannot be rewritten."""
    from showroom.packing.services import scan

    cust = factories.customer()
    prod = factories.product(stock=3)
    order = factories.settled_order(cust.id, [(prod, 2)])
    scan(order.id, prod.barcode)
    db.session.commit()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text(sql))
    db.session.rollback()
