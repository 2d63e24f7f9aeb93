"""Migrations: one head, `db upgrade` builds exactly the schema the models describe, on
the suite's backend, with the append-only triggers in place."""
from __future__ import annotations

from pathlib import Path

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
