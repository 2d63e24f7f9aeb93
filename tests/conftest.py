"""Fixtures: app / client / runner / login_as / api_headers, a fresh database per test.

`--db postgresql` (or SHOWROOM_TEST_DB=postgresql) runs the same tests on a throwaway
PostgreSQL cluster started here; the default is a SQLite file per test. `--db all` runs
every test that touches a database once per backend in the same run (ids end in
`[sqlite]` / `[postgresql]`; `-k postgresql` picks one side), and the rest once.

Safe under pytest-xdist (`-n 3`): each worker starts its own PostgreSQL cluster on a free
port the first time it needs one, tests get their own tmp_path and SQLite file, and
tests that run once per backend write their artifacts under a folder of that backend.
"""
from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", "/tmp/showroom-escpos")

import factories  # noqa: E402
import route_cache  # noqa: E402
from testconfig import close_database, fresh_database  # noqa: E402
from testconfig import test_config as _test_config  # noqa: E402

from showroom import create_app  # noqa: E402
from showroom.clock import set_now  # noqa: E402
from showroom.extensions import db  # noqa: E402

TEST_PIN = "246810"

route_cache.install()


BACKENDS = ("sqlite", "postgresql")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--db", default=os.environ.get("SHOWROOM_TEST_DB", "sqlite"),
                     choices=(*BACKENDS, "all"),
                     help="database backend for the suite; all: each database test once per backend")


def _backends(config: pytest.Config) -> tuple[str, ...]:
    chosen = str(config.getoption("--db"))
    return BACKENDS if chosen == "all" else (chosen,)


def pytest_configure(config: pytest.Config) -> None:
    """Hypothesis: CI (a fresh clone) keeps no example database, so xdist workers share no
    files and a failure prints the blob that reproduces it; elsewhere the workers share
    .hypothesis/examples, whose writes are a temp file renamed into place.

    python-escpos writes its capabilities pickle in place on first import, so a worker
    importing it while another writes it would read half a pickle: build it once here,
    before any worker starts."""
    from hypothesis import settings

    settings.register_profile("ci", database=None, print_blob=True)
    settings.register_profile("dev", print_blob=True)
    settings.load_profile("ci" if os.environ.get("CI") else "dev")
    if not hasattr(config, "workerinput"):
        os.makedirs(os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"], exist_ok=True)
        import escpos.capabilities  # noqa: F401


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    backends = _backends(metafunc.config)
    only = metafunc.definition.get_closest_marker("only_on")
    if only is not None:  # a test about one backend runs there alone (never a skip)
        backends = tuple(b for b in backends if b in only.args)
    if "backend" in metafunc.fixturenames and (len(backends) > 1 or (only and backends)):
        metafunc.parametrize("backend", backends)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `only_on(...)` for backends this run does not use are deselected, not
    skipped: CI refuses skips, and "PostgreSQL only" under --db sqlite is not a gap."""
    backends = set(_backends(config))
    keep, drop = [], []
    for item in items:
        only = item.get_closest_marker("only_on")
        (drop if only is not None and not backends & set(only.args) else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


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


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The test's database backend (a parameter of the test under `--db all`)."""
    return _backends(request.config)[0]


@pytest.fixture(scope="session")
def pg_cluster_url() -> Iterator[str]:
    """This worker's own PostgreSQL cluster and schema, started the first time a test of the
    worker needs PostgreSQL and stopped at the end of the run."""
    import pgcluster

    cluster = pgcluster.start(tag=os.environ.get("PYTEST_XDIST_WORKER", "main"))
    try:
        url = cluster.createdb("showroom_test")
        app = create_app(_test_config(url))
        with app.app_context():
            db.create_all()
            db.engine.dispose()
        yield url
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def sqlite_schema(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite database with the whole schema, built once per worker: a test's own
    database file starts as a copy of it (create_all then finds every table in place),
    which spares each test the DDL and its fsyncs."""
    folder = tmp_path_factory.mktemp("schema")
    path = folder / "schema.db"
    instance = os.environ.get("SHOWROOM_INSTANCE")
    os.environ["SHOWROOM_INSTANCE"] = str(folder / "instance")
    try:
        application = create_app(_test_config(f"sqlite:///{path}"))
        fresh_database(application, postgresql=False)
        close_database(application)
    finally:
        if instance is None:
            os.environ.pop("SHOWROOM_INSTANCE", None)
        else:
            os.environ["SHOWROOM_INSTANCE"] = instance
    return path


@pytest.fixture
def sqlite_copy(request: pytest.FixtureRequest) -> Callable[[Path], str]:
    """sqlite_copy(path): the URL of a new SQLite database at path, a copy of the empty
    schema (built when the first test of the worker asks)."""

    def _copy(path: Path) -> str:
        shutil.copyfile(request.getfixturevalue("sqlite_schema"), path)
        return f"sqlite:///{path}"

    return _copy


@pytest.fixture
def pg_url(backend: str, request: pytest.FixtureRequest) -> str | None:
    if backend != "postgresql":
        return None
    return str(request.getfixturevalue("pg_cluster_url"))


@pytest.fixture(autouse=True)
def _per_backend_artifacts(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A test that runs once per backend may run on two workers at once: its artifacts for a
    person to look at (a module's ARTIFACTS or SCREENS folder, and browser_helpers.SCREENS
    that shot() writes to) go under a subfolder of its backend, so neither overwrites a file
    the other is reading back. Records the backend in the JUnit file for tests/summarize.py."""
    if "backend" not in request.fixturenames:
        return
    backend = str(request.getfixturevalue("backend"))
    request.node.user_properties.append(("backend", backend))
    for module in (request.module, sys.modules.get("browser_helpers")):
        for name in ("ARTIFACTS", "SCREENS"):
            folder = getattr(module, name, None)
            if isinstance(folder, Path):
                monkeypatch.setattr(module, name, folder / backend)


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Override in a test module to change settings (e.g. enable CSRF)."""
    return {}


class SharedTemplateCode(BytecodeCache):
    """Compiled templates kept for the whole run (per worker), keyed by template and checked
    against its source: every test builds a new app, and without this each one compiled the
    same templates again (about 0.1 s of CPU per test)."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


@pytest.fixture(scope="session")
def template_code() -> SharedTemplateCode:
    return SharedTemplateCode()


@pytest.fixture
def app(tmp_path: Path, pg_url: str | None, app_config: dict[str, Any],
        template_code: SharedTemplateCode, sqlite_copy: Callable[[Path], str]) -> Iterator[Any]:
    url = pg_url or sqlite_copy(tmp_path / "test.db")
    cfg = _test_config(url) | app_config
    os.environ["SHOWROOM_INSTANCE"] = str(tmp_path / "instance")
    application = create_app(cfg)
    application.jinja_env.bytecode_cache = template_code
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
