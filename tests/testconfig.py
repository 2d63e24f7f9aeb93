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
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 20, "max_overflow": 20}
        if url.startswith("postgresql") else {},
    }
