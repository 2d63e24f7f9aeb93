"""Headless Chromium against a live server on 127.0.0.1 (Debian's /usr/bin/chromium).

`live_server` serves a fresh app (CSRF on, as in production) from a thread on a port the
system picks; `browser_page` is a Playwright page; `shot(page, name)` saves a screenshot
under artifacts/screens/<backend>/ for a person to look at. Each xdist worker launches its
own Chromium.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from showroom import create_app

CHROMIUM = "/usr/bin/chromium"
# How long a page action, navigation or expect() waits before failing. The pages answer in
# milliseconds, but under xdist on two cores (or a machine shared with other runs) a live
# server can take seconds: a run at load average 18 timed out after a click while waiting
# 10 s for the navigation. Patience only; what the tests check is unchanged.
ACTION_TIMEOUT_MS = 30_000
EXPECT_TIMEOUT_MS = 15_000
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


class LiveServer:
    """The app on a threaded werkzeug server. On exit it stops accepting and waits (up to
    10 s) for requests still in flight — a screen's poll when the browser closed — so the
    app's database pool is disposed only after they gave their connections back (a
    PostgreSQL connection left in a disposed pool was garbage-collected in a later test,
    whose run then failed on the ResourceWarning)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.in_flight = 0
        self.idle = threading.Condition()
        self.server = make_server("127.0.0.1", 0, self._counted, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _counted(self, environ: Any, start_response: Any) -> Any:
        with self.idle:
            self.in_flight += 1
        try:
            return self.app(environ, start_response)  # Flask's context (and session) ends here
        finally:
            with self.idle:
                self.in_flight -= 1
                self.idle.notify_all()

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.thread.join(5)
        with self.idle:
            self.idle.wait_for(lambda: self.in_flight == 0, timeout=10)
        self.server.server_close()


@pytest.fixture
def live_app(tmp_path: Path, pg_url: str | None, template_code: Any,
             monkeypatch: pytest.MonkeyPatch, sqlite_copy: Any) -> Iterator[Any]:
    from testconfig import close_database, fresh_database
    from testconfig import test_config as _test_config

    url = pg_url or sqlite_copy(tmp_path / "live.db")
    cfg = _test_config(url) | {"WTF_CSRF_ENABLED": True, "TESTING": False}
    # the test's own instance folder (print spool, secret key), not the checkout's, which
    # other workers and the other backend's run of this test would share
    monkeypatch.setenv("SHOWROOM_INSTANCE", str(tmp_path / "instance"))
    application = create_app(cfg)
    application.jinja_env.bytecode_cache = template_code
    fresh_database(application, postgresql=bool(pg_url))
    yield application
    close_database(application)


@pytest.fixture
def live_server(live_app: Any) -> Iterator[LiveServer]:
    with LiveServer(live_app) as server:
        yield server


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: apt-get install chromium")
    from playwright.sync_api import expect

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium: Any) -> Iterator[Any]:
    """A tablet-sized page (1280x900) in its own context (own cookies)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    yield page
    context.close()


@pytest.fixture
def new_page(chromium: Any) -> Iterator[Any]:
    """Factory for extra pages, each with its own cookies (several staff at once)."""
    contexts: list[Any] = []

    def _new(width: int = 1280, height: int = 900) -> Any:
        context = chromium.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(ACTION_TIMEOUT_MS)
        return page

    yield _new
    for c in contexts:
        c.close()
