"""`flask showroom backup` and `restore` on the suite's backend (SQLite or PostgreSQL).

The main case: four cashier threads settle orders through the real services while the
backup runs; the backup restores into an empty database, `check` passes there, and
every settlement acknowledged before the backup started is in it.
"""
from __future__ import annotations

import os
import stat
import threading
import time
from pathlib import Path
from typing import Any

import factories
import pytest
from ops_support import ENGLISH, other_app  # noqa: F401  (fixture)
from sqlalchemy import make_url, select

from showroom import create_app
from showroom.customers.models import Customer, LedgerEntry
from showroom.extensions import db
from showroom.ops import backup as backup_module
from showroom.ops import pgtools
from showroom.ops.backup import table_rows
from showroom.ops.integrity import check_database
from showroom.orders.models import Order
from showroom.settlement.models import Settlement
from showroom.settlement.services import PaymentIn, settle

THREADS, PER_THREAD = 4, 20


@pytest.fixture
def app_config() -> dict[str, Any]:
    return dict(ENGLISH)


def _orders_to_settle(app: Any) -> tuple[int, list[list[tuple[int, int]]]]:
    """A cashier and, per thread, its own customer with PER_THREAD submitted orders over
    shared products (so the threads meet on product rows, as desks do)."""
    with app.app_context():
        cashier = factories.staff("cashier").id
        products = [factories.product(wholesale=1_000 + 37 * i, stock=1_000) for i in range(8)]
        work: list[list[tuple[int, int]]] = []
        for t in range(THREADS):
            customer = factories.customer().id
            orders = []
            for i in range(PER_THREAD):
                order = factories.order_with_lines(
                    customer, [(products[(t + i) % 8], 1 + i % 3), (products[(t + i + 3) % 8], 1)])
                orders.append((order.id, order.total))
            work.append(orders)
        db.session.commit()
        return cashier, work


def _settle_all(app: Any, cashier: int, orders: list[tuple[int, int]], acked: list[int],
                lock: threading.Lock, errors: list[BaseException]) -> None:
    with app.app_context():
        try:
            for n, (order_id, total) in enumerate(orders):
                method = "on_account" if n % 3 == 0 else "cash"
                settle(order_id, [PaymentIn(method, total)], cashier_id=cashier,
                       station="cashier-1")
                db.session.commit()
                with lock:  # acknowledged: committed and returned to this "desk"
                    acked.append(order_id)
        except BaseException as exc:  # surfaced by the test, not lost in the thread
            db.session.rollback()
            errors.append(exc)
        finally:
            db.session.remove()


def test_backup_while_four_desks_settle_restores_every_acknowledged_settlement(
        app, runner, other_app, tmp_path, backend):  # noqa: F811
    cashier, work = _orders_to_settle(app)
    acked: list[int] = []
    lock, errors = threading.Lock(), []
    threads = [threading.Thread(target=_settle_all, args=(app, cashier, orders, acked, lock, errors))
               for orders in work]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 60
    while len(acked) < 12 and not errors and time.monotonic() < deadline:
        time.sleep(0.005)
    with lock:
        before = set(acked)
    if backend == "sqlite":  # the writes of the moment sit in the WAL, not yet in the file
        with app.app_context():
            wal = Path(str(db.engine.url.database) + "-wal")
        assert wal.exists() and wal.stat().st_size > 0
    file = tmp_path / "nightly.backup"
    result = runner.invoke(args=["showroom", "backup", str(file)])
    with lock:
        after_backup = len(acked)
    for t in threads:
        t.join(120)
    assert not errors, errors
    assert not any(t.is_alive() for t in threads)
    assert result.exit_code == 0, result.output
    assert "backup written" in result.output and "settlements" in result.output
    assert 12 <= len(before) < THREADS * PER_THREAD, "the desks were still settling"
    assert len(acked) == THREADS * PER_THREAD and after_backup >= len(before)

    restored = other_app("restored")
    out = restored.test_cli_runner().invoke(args=["showroom", "restore", str(file)])
    assert out.exit_code == 0, out.output
    assert "OK: the database agrees with itself" in out.output, out.output
    check = restored.test_cli_runner().invoke(args=["showroom", "check"])
    assert check.exit_code == 0 and check.output.startswith("OK"), check.output
    with restored.app_context():
        settled = set(db.session.scalars(select(Settlement.order_id)))
        assert before <= settled, f"missing: {sorted(before - settled)}"
        assert settled <= set(acked)
        # each restored settlement brought its ledger entries and status along
        numbers = dict(db.session.execute(select(Order.id, Order.number)).all())
        refs = set(db.session.scalars(select(LedgerEntry.ref).where(LedgerEntry.kind == "sale")))
        assert {numbers[i] for i in settled} <= refs
        assert check_database().ok
        db.session.rollback()


def _small_world(app: Any, name: str) -> None:
    with app.app_context():
        customer = factories.customer(name=name)
        product = factories.product(stock=10)
        factories.settled_order(customer.id, [(product, 2)], on_account=True)
        db.session.commit()


def _rows(app: Any) -> dict[str, int]:
    with app.app_context(), db.engine.connect() as conn:
        return table_rows(conn)


def _names(app: Any) -> set[str]:
    with app.app_context():
        names = set(db.session.scalars(select(Customer.name)))
        db.session.rollback()
        return names


def test_restore_refuses_a_database_with_data_and_force_replaces_it(
        app, runner, other_app, tmp_path):  # noqa: F811
    _small_world(app, "备份里的客户")
    file = tmp_path / "b.backup"
    assert runner.invoke(args=["showroom", "backup", str(file)]).exit_code == 0
    busy = other_app("busy")
    with busy.app_context():
        db.create_all()
    _small_world(busy, "不能丢的客户")
    before = _rows(busy)

    refused = busy.test_cli_runner().invoke(args=["showroom", "restore", str(file)])
    assert refused.exit_code == 1
    assert "the database is not empty" in refused.output and "nothing restored" in refused.output
    assert "--force" in refused.output
    assert _rows(busy) == before and _names(busy) == {"不能丢的客户"}

    forced = busy.test_cli_runner().invoke(args=["showroom", "restore", "--force", str(file)])
    assert forced.exit_code == 0, forced.output
    assert "replaced the" in forced.output and "OK: the database agrees" in forced.output
    assert _names(busy) == {"备份里的客户"}


def test_restore_into_an_empty_schema_needs_no_force_and_refuses_wrong_files(
        app, runner, other_app, tmp_path):  # noqa: F811
    _small_world(app, "客户甲")
    file = tmp_path / "b.backup"
    assert runner.invoke(args=["showroom", "backup", str(file)]).exit_code == 0
    migrated = other_app("migrated")
    with migrated.app_context():
        db.create_all()  # tables, no rows: what `flask db upgrade` leaves
    cli = migrated.test_cli_runner()
    junk = tmp_path / "notes.txt"
    junk.write_text("not a backup")
    bad = cli.invoke(args=["showroom", "restore", str(junk)])
    assert bad.exit_code == 1 and "is not a backup" in bad.output
    missing = cli.invoke(args=["showroom", "restore", str(tmp_path / "nope.backup")])
    assert missing.exit_code == 1 and "there is no backup file" in missing.output
    ok = cli.invoke(args=["showroom", "restore", str(file)])
    assert ok.exit_code == 0, ok.output
    assert _names(migrated) == {"客户甲"}


def test_backup_is_private_atomic_and_never_overwrites_unasked(app, runner, tmp_path, monkeypatch):
    _small_world(app, "客户乙")
    file = tmp_path / "b.backup"
    first = runner.invoke(args=["showroom", "backup", str(file)])
    assert first.exit_code == 0, first.output
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    content = file.read_bytes()
    again = runner.invoke(args=["showroom", "backup", str(file)])
    assert again.exit_code == 1 and "already exists" in again.output
    assert file.read_bytes() == content

    def full_disk(path: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup_module, "sync", full_disk)
    failed = runner.invoke(args=["showroom", "backup", str(tmp_path / "c.backup")])
    assert failed.exit_code != 0
    assert sorted(p.name for p in tmp_path.iterdir() if "backup" in p.name) == ["b.backup"]
    monkeypatch.undo()
    replaced = runner.invoke(args=["showroom", "backup", "--overwrite", str(file)])
    assert replaced.exit_code == 0, replaced.output
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_libpq_env_carries_the_connection_and_the_password():
    url = make_url("postgresql+psycopg://shop:pa%40ss@db.internal:6543/showroom?sslmode=require")
    env = pgtools.libpq_env(url)
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGPASSWORD"], env["PGDATABASE"],
            env["PGSSLMODE"]) == ("db.internal", "6543", "shop", "pa@ss", "showroom", "require")


@pytest.mark.only_on("postgresql")
def test_pg_dump_gets_the_password_by_environment_only(app, pg_url, tmp_path, monkeypatch):
    assert pg_url
    secret = "s3cret-Backup-pw"
    url = make_url(pg_url).set(password=secret).render_as_string(hide_password=False)
    from testconfig import close_database, test_config

    with_password = create_app(test_config(url) | ENGLISH)  # trust auth ignores it
    calls: list[tuple[list[str], dict[str, str]]] = []
    real = pgtools.run_tool

    def spy(cmd: list[str], env: dict[str, str]) -> str:
        calls.append((cmd, env))
        return real(cmd, env)

    monkeypatch.setattr(pgtools, "run_tool", spy)
    try:
        out = with_password.test_cli_runner().invoke(
            args=["showroom", "backup", str(tmp_path / "pw.backup")])
    finally:
        close_database(with_password)
    assert out.exit_code == 0, out.output
    assert calls and all(secret not in " ".join(cmd) for cmd, _env in calls)
    assert calls[0][1]["PGPASSWORD"] == secret
    assert os.path.basename(calls[0][0][0]) == "pg_dump" and "--format=custom" in calls[0][0]
