"""Shift start: 40 tablets sign in at once. The PIN is verified holding no transaction
(read, end the read, verify, then one short write), so on SQLite the sign-ins hash side
by side (as many at once as SHOWROOM_ARGON2_THREADS) instead of queueing behind each
other's write lock, and none fails."""
from __future__ import annotations

import sqlite3
import threading
import time
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from showroom.auth.models import ApiToken, LoginAttempt
from showroom.extensions import db

TABLETS = 40


@pytest.fixture
def watched_verify(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Each argon2 verify takes 50 ms more (about a real one) and notes whether its request
    held a transaction and how many verifies ran at the same moment."""
    state: dict[str, Any] = {"running": 0, "peak": 0, "calls": 0, "in_transaction": 0,
                             "probe": None}
    lock = threading.Lock()
    real = PasswordHasher.verify

    def verify(self: PasswordHasher, hash: str, password: str) -> bool:  # noqa: A002
        with lock:
            state["calls"] += 1
            state["running"] += 1
            state["peak"] = max(state["peak"], state["running"])
            state["in_transaction"] += db.session().in_transaction()
        try:
            if state["probe"] is not None:
                state["probe"]()
            time.sleep(0.05)
            return real(self, hash, password)
        finally:
            with lock:
                state["running"] -= 1

    monkeypatch.setattr(PasswordHasher, "verify", verify)
    return state


def test_forty_tablets_sign_in_at_once(app, make_staff, watched_verify):
    staff = [make_staff("clerk") for _ in range(TABLETS)]
    watched_verify["calls"] = 0
    app.config["SHOWROOM_ARGON2_THREADS"] = 4  # whatever this machine's CPU count
    barrier = threading.Barrier(TABLETS)
    results: list[tuple[str, int, float]] = []
    errors: list[BaseException] = []

    def tablet(i: int) -> None:
        member = staff[i]
        client = app.test_client()
        try:
            barrier.wait()
            started = time.perf_counter()
            if i % 2:  # half through the screen, half through the API
                resp = client.post("/login", data={"staff_no": member["staff_no"],
                                                   "pin": member["pin"]})
                results.append(("screen", resp.status_code, time.perf_counter() - started))
            else:
                resp = client.post("/api/v1/auth/token", json={"staff_no": member["staff_no"],
                                                               "pin": member["pin"]})
                results.append(("api", resp.status_code, time.perf_counter() - started))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=tablet, args=(i,)) for i in range(TABLETS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    assert sorted(code for _kind, code, _s in results) == [200] * 20 + [302] * 20
    assert watched_verify["calls"] == TABLETS
    assert watched_verify["in_transaction"] == 0  # nobody hashed inside a transaction
    assert watched_verify["peak"] >= 2  # ... so they hashed side by side, not in a queue
    assert watched_verify["peak"] <= 4  # but no more at once than SHOWROOM_ARGON2_THREADS
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginAttempt)
                                 .where(LoginAttempt.success.is_(True))) == TABLETS
        assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 20


@pytest.mark.only_on("sqlite")
def test_sqlite_write_lock_is_free_while_the_pin_is_hashed(app, client, make_staff, backend,
                                                           watched_verify):
    """Another writer can take SQLite's write lock at once while sign-in hashes."""
    assert backend == "sqlite"
    staff = make_staff("cashier")
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    seen: list[str] = []

    def probe() -> None:
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            seen.append("free")
        except sqlite3.OperationalError as exc:
            seen.append(str(exc))
        finally:
            other.close()

    watched_verify["probe"] = probe
    for url, body in (("/login", None), ("/api/v1/auth/token", "json")):
        data = {"staff_no": staff["staff_no"], "pin": staff["pin"]}
        resp = client.post(url, json=data) if body else client.post(url, data=data)
        assert resp.status_code in (200, 302)
    assert seen == ["free", "free"]
