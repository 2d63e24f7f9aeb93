"""Migrations: one head, `db upgrade` builds exactly the schema the models describe, on
the suite's backend, with the append-only triggers in place."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError
from testconfig import test_config as config_for

from showroom import create_app
from showroom.extensions import db

MIGRATIONS = Path(__file__).resolve().parents[2] / "showroom" / "migrations"


def test_single_head_and_dated_revisions():
    script = ScriptDirectory(str(MIGRATIONS))
    assert len(script.get_heads()) == 1
    for rev in script.walk_revisions():
        assert Path(rev.path).name[:8].isdigit(), rev.path


@pytest.fixture
def empty_db_url(tmp_path, pg_url):
    if pg_url is None:
        return f"sqlite:///{tmp_path / 'migrated.db'}"
    import pgcluster  # the suite's cluster is already running: make a sibling database

    port = int(pg_url.rsplit(":", 1)[1].split("/")[0])
    cluster = pgcluster.Cluster(datadir="", port=port, bindir=pgcluster.pg_bin() or "")
    return cluster.createdb("showroom_migrations")


def test_upgrade_matches_models(empty_db_url):
    app = create_app(config_for(empty_db_url))
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
        with db.engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(
                conn, opts={"compare_type": True, "render_as_batch": True}), db.metadata)
        assert diffs == []
        db.session.execute(text("INSERT INTO customers (code, name, phone, kind, address, region, "
                                "balance, created_at) VALUES ('K1', 'x', '1', 'wholesale', '', '', "
                                "0, CURRENT_TIMESTAMP)"))
        db.session.execute(text("INSERT INTO ledger_entries (customer_id, kind, amount, "
                                "balance_after, ref, note, created_at) VALUES (1, 'adjustment', 5, "
                                "5, '', '', CURRENT_TIMESTAMP)"))
        db.session.commit()
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(text("DELETE FROM ledger_entries"))
        db.session.rollback()
        db.session.remove()
        db.engine.dispose()


def _fill(conn: Any, table: str, **given: Any) -> None:
    """One row with every required column filled (a value by type, or `given`)."""
    from datetime import UTC, datetime

    from sqlalchemy import Boolean, DateTime, Integer, LargeBinary, MetaData, Numeric

    meta = MetaData()
    meta.reflect(conn, only=[table])
    row: dict[str, Any] = {}
    for col in meta.tables[table].columns:
        if col.name in given or col.nullable or col.server_default is not None or col.primary_key:
            continue
        kind = col.type
        row[col.name] = (1 if isinstance(kind, Integer | Numeric) else
                         False if isinstance(kind, Boolean) else
                         datetime.now(UTC) if isinstance(kind, DateTime) or "TIME" in str(kind)
                         else b"" if isinstance(kind, LargeBinary) else "x")
    conn.execute(meta.tables[table].insert().values(**(row | given)))


def test_upgrade_keeps_a_database_with_data(empty_db_url):
    """A showroom upgrading with its data in place: the money desk's revision adds columns to
    settlements, which payments point at. A copy-and-move of that table (SQLite batch mode)
    must DROP it and the foreign keys refuse; a plain ADD COLUMN keeps every row."""
    app = create_app(config_for(empty_db_url))
    with app.app_context():
        upgrade(directory=str(MIGRATIONS), revision="5e1a0c0de5e1")  # before the money desk
        with db.engine.begin() as conn:
            _fill(conn, "staff", id=1, staff_no="9001", roles="cashier")
            _fill(conn, "customers", id=1, code="K1", kind="wholesale", balance=500)
            _fill(conn, "orders", id=1, number="XS-1", customer_id=1, channel="showroom",
                  status="settled", total=500)
            _fill(conn, "settlements", id=1, order_id=1, total=500, paid=500, on_account=0,
                  change=0, balance_before=0, balance_after=0, cashier_id=1)
            _fill(conn, "payments", id=1, settlement_id=1, method="cash", amount=500)
        upgrade(directory=str(MIGRATIONS))
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM payments")).scalar() == 1
            assert conn.execute(text("SELECT credit_override_reason, credit_override_manager_id "
                                     "FROM settlements")).one() == ("", None)
            assert conn.execute(text("SELECT credit_limit FROM customers")).scalar() is None
            diffs = compare_metadata(MigrationContext.configure(
                conn, opts={"compare_type": True, "render_as_batch": True}), db.metadata)
        assert diffs == []
        db.session.remove()
        db.engine.dispose()
