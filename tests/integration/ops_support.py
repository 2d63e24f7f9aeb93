"""Fixtures for the backup / restore / check tests: apps on further, empty databases.

On SQLite a further database is another file in the test's tmp_path; on PostgreSQL it
is a new database (random name) in the test run's own cluster, dropped afterwards, so
tests stay independent and safe under pytest-xdist (each worker has its own cluster).
Import the fixtures into a test module: `from ops_support import other_app  # noqa: F401`.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import make_url
from testconfig import close_database, test_config

from showroom import create_app

ENGLISH = {"BABEL_DEFAULT_LOCALE": "en"}  # messages read by the tests stay English


def _admin(pg_url: str) -> Any:
    import psycopg

    url = make_url(pg_url)
    return psycopg.connect(host=url.host, port=url.port, user=url.username, dbname="postgres",
                           autocommit=True)


def create_pg_database(pg_url: str, name: str) -> str:
    with _admin(pg_url) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return make_url(pg_url).set(database=name).render_as_string(hide_password=False)


def drop_pg_database(pg_url: str, name: str) -> None:
    with _admin(pg_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def other_app(app: Flask, pg_url: str | None, tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """other_app(name) -> a Flask app on a new database with no tables at all."""
    made: list[tuple[Flask, str | None]] = []

    def make(name: str = "other", config: dict[str, Any] | None = None) -> Flask:
        if pg_url:
            dbname = f"{name}_{uuid.uuid4().hex[:10]}"
            url = create_pg_database(pg_url, dbname)
        else:
            dbname, url = None, f"sqlite:///{tmp_path / f'{name}.db'}"
        application = create_app(test_config(url) | ENGLISH | (config or {}))
        made.append((application, dbname))
        return application

    yield make
    for application, dbname in made:
        close_database(application)
        if pg_url and dbname:
            drop_pg_database(pg_url, dbname)
