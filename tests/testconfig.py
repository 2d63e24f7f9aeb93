"""The settings every test app starts from."""
from __future__ import annotations

from typing import Any


def test_config(url: str) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "SHOWROOM_ARGON2_TIME_COST": 1,
        "SHOWROOM_ARGON2_MEMORY_KIB": 64,
        # The fake printer listens on 127.0.0.1 at a random (ephemeral) port.
        "SHOWROOM_PRINTER_PORTS": "9100-9109,1024-65535",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 20, "max_overflow": 20}
        if url.startswith("postgresql") else {},
    }


def fresh_database(app: Any, postgresql: bool) -> None:
    """Empty schema for one test: TRUNCATE on the shared PostgreSQL database (built once
    per run), create_all on the test's own SQLite file."""
    from sqlalchemy import text

    from showroom.extensions import db

    with app.app_context():
        if postgresql:
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            db.session.commit()
        else:
            db.create_all()


def close_database(app: Any) -> None:
    from showroom.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()
