"""The instance folder (issue 9): the secret key is written atomically, so processes
starting at the same moment all read the same, non-empty key; instance files are the
owner's only (folders 700, files 600)."""
from __future__ import annotations

import multiprocessing
import os
import stat
from pathlib import Path

import pytest

from showroom.config import _instance_secret


def _start(instance: str, barrier: multiprocessing.synchronize.Barrier,  # type: ignore[name-defined]
           out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    barrier.wait()
    try:
        out.put(_instance_secret(Path(instance)))
    except Exception as exc:  # noqa: BLE001 - reported to the parent
        out.put(f"error: {exc!r}")


@pytest.mark.parametrize("run", range(5))
def test_processes_starting_together_agree_on_one_non_empty_key(tmp_path: Path, run: int):
    ctx = multiprocessing.get_context("fork")
    n = 8
    barrier, out = ctx.Barrier(n), ctx.Queue()
    instance = tmp_path / "instance"
    procs = [ctx.Process(target=_start, args=(str(instance), barrier, out)) for _ in range(n)]
    for p in procs:
        p.start()
    keys = [out.get(timeout=30) for _ in procs]
    for p in procs:
        p.join(10)
    assert all(len(k) == 64 for k in keys), keys
    assert len(set(keys)) == 1
    assert (instance / "secret_key").read_text() == keys[0]
    assert [p.name for p in instance.iterdir()] == ["secret_key"]  # no temporary files left


def test_a_reader_never_sees_a_half_written_key(tmp_path: Path, monkeypatch):
    """While the key is being written, the file does not exist yet under its name."""
    import showroom.config as config

    seen: list[bool] = []
    real_fsync = os.fsync

    def slow_fsync(fd: int) -> None:
        seen.append((tmp_path / "secret_key").exists())
        real_fsync(fd)

    monkeypatch.setattr(config.os, "fsync", slow_fsync)
    key = _instance_secret(tmp_path)
    assert len(key) == 64 and seen[0] is False


def test_an_empty_key_left_by_a_crash_is_replaced(tmp_path: Path, monkeypatch):
    import showroom.config as config

    monkeypatch.setattr(config.time, "sleep", lambda s: None)
    (tmp_path / "secret_key").write_text("")
    assert len(_instance_secret(tmp_path)) == 64


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_instance_folder_database_and_spool_are_private(tmp_path: Path, monkeypatch):
    from sqlalchemy import text

    from showroom import create_app
    from showroom.extensions import db

    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    instance.chmod(0o755)
    monkeypatch.setenv("SHOWROOM_INSTANCE", str(instance))
    monkeypatch.delenv("SHOWROOM_SECRET_KEY", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'showroom.db'}"})
    with app.app_context():
        db.create_all()
        db.session.execute(text("CREATE TABLE IF NOT EXISTS probe (x INTEGER)"))
        db.session.execute(text("INSERT INTO probe VALUES (1)"))
        db.session.commit()
        files = {p.name: _mode(p) for p in instance.iterdir()}
        db.engine.dispose()
    assert _mode(instance) == 0o700
    assert files["secret_key"] == 0o600
    assert files["showroom.db"] == 0o600
    assert files.get("showroom.db-wal", 0o600) == 0o600
    assert files.get("showroom.db-shm", 0o600) == 0o600
    assert "showroom.db-wal" in files  # WAL mode: the file exists while the engine is open
    assert files["printed"] == 0o700


def test_an_existing_world_readable_instance_is_tightened(tmp_path: Path, monkeypatch):
    from showroom import create_app

    instance = tmp_path / "old"
    instance.mkdir()
    (instance / "showroom.db").write_bytes(b"")
    for path, mode in ((instance, 0o755), (instance / "showroom.db", 0o644)):
        path.chmod(mode)
    monkeypatch.setenv("SHOWROOM_INSTANCE", str(instance))
    create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'showroom.db'}"})
    assert _mode(instance) == 0o700 and _mode(instance / "showroom.db") == 0o600
