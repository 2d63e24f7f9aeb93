"""Fixtures: app / client / runner / login_as / api_headers, a fresh database per test.

`--db postgresql` (or SHOWROOM_TEST_DB=postgresql) runs the same tests on a throwaway
PostgreSQL cluster started here; the default is a SQLite file per test.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", "/tmp/showroom-escpos")

import factories  # noqa: E402
from testconfig import close_database, fresh_database  # noqa: E402
from testconfig import test_config as _test_config  # noqa: E402

from showroom import create_app  # noqa: E402
from showroom.clock import set_now  # noqa: E402
from showroom.extensions import db  # noqa: E402

TEST_PIN = "246810"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--db", default=os.environ.get("SHOWROOM_TEST_DB", "sqlite"),
                     choices=("sqlite", "postgresql"), help="database backend for the suite")


def pytest_sessionstart(session: pytest.Session) -> None:
    """Screens are Chinese by default: build any stale .mo from its .po catalog first."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in (Path(__file__).parent.parent / "showroom" / "translations").glob(
            "*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as f:
            catalog = read_po(f)
        with mo.open("wb") as f:
            write_mo(f, catalog, use_fuzzy=True)


def pytest_report_header(config: pytest.Config) -> str:
    return f"showroom database backend: {config.getoption('--db')}"


@pytest.fixture(scope="session")
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.config.getoption("--db"))


@pytest.fixture(scope="session")
def pg_url(backend: str) -> Iterator[str | None]:
    if backend != "postgresql":
        yield None
        return
    import pgcluster

    cluster = pgcluster.start()
    url = cluster.createdb("showroom_test")
    app = create_app(_test_config(url))
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    try:
        yield url
    finally:
        cluster.stop()


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Override in a test module to change settings (e.g. enable CSRF)."""
    return {}


@pytest.fixture
def app(tmp_path: Path, pg_url: str | None, app_config: dict[str, Any]) -> Iterator[Any]:
    url = pg_url or f"sqlite:///{tmp_path / 'test.db'}"
    cfg = _test_config(url) | app_config
    os.environ["SHOWROOM_INSTANCE"] = str(tmp_path / "instance")
    application = create_app(cfg)
    fresh_database(application, postgresql=bool(pg_url))
    yield application
    close_database(application)
    set_now(None)


@pytest.fixture
def ctx(app: Any) -> Iterator[Any]:
    """An app context for service-level tests; its session is `db.session`."""
    with app.app_context():
        yield db.session


@pytest.fixture
def client(app: Any) -> Any:
    return app.test_client()


@pytest.fixture
def runner(app: Any) -> Any:
    return app.test_cli_runner()


@pytest.fixture
def make_staff(app: Any) -> Callable[..., dict[str, Any]]:
    """Create a staff member (committed); returns {id, staff_no, name, pin}."""
    counter = {"n": 0}

    def _make(*roles: str, staff_no: str | None = None, name: str | None = None,
              pin: str = TEST_PIN) -> dict[str, Any]:
        counter["n"] += 1
        with app.app_context():
            staff = factories.staff(*(roles or ("clerk",)), staff_no=staff_no or
                                    f"{9000 + counter['n']}", name=name, pin=pin)
            db.session.commit()
            return {"id": staff.id, "staff_no": staff.staff_no, "name": staff.name, "pin": pin}

    return _make


@pytest.fixture
def login_as(client: Any, make_staff: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """Sign the test client in as a new staff member with these roles."""

    def _login(*roles: str) -> dict[str, Any]:
        staff = make_staff(*roles)
        resp = client.post("/login", data={"staff_no": staff["staff_no"], "pin": staff["pin"]})
        assert resp.status_code == 302, resp.get_data(as_text=True)
        return staff

    return _login


@pytest.fixture
def api_headers(client: Any, make_staff: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, str]]:
    """Bearer headers for a new staff member with these roles."""

    def _headers(*roles: str, station: str | None = None) -> dict[str, str]:
        staff = make_staff(*roles)
        body: dict[str, Any] = {"staff_no": staff["staff_no"], "pin": staff["pin"]}
        if station:
            body["station"] = station
        resp = client.post("/api/v1/auth/token", json=body)
        assert resp.status_code == 200, resp.get_data(as_text=True)
        return {"Authorization": f"Bearer {resp.get_json()['token']}"}

    return _headers
