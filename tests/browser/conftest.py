"""Headless Chromium against a live server on 127.0.0.1 (Debian's /usr/bin/chromium).

`live_server` serves a fresh app (CSRF on, as in production) from a thread;
`browser_page` is a Playwright page; `shot(page, name)` saves a screenshot under
artifacts/screens/ for a person to look at.
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
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


class LiveServer:
    def __init__(self, app: Any) -> None:
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.thread.join(5)


@pytest.fixture
def live_app(tmp_path: Path, pg_url: str | None, template_code: Any) -> Iterator[Any]:
    from testconfig import close_database, fresh_database
    from testconfig import test_config as _test_config

    url = pg_url or f"sqlite:///{tmp_path / 'live.db'}"
    cfg = _test_config(url) | {"WTF_CSRF_ENABLED": True, "TESTING": False}
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
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium: Any) -> Iterator[Any]:
    """A tablet-sized page (1280x900) in its own context (own cookies)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
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
        page.set_default_timeout(10_000)
        return page

    yield _new
    for c in contexts:
        c.close()
