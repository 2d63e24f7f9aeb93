"""Exactly-once POSTs: the first response to an Idempotency-Key is stored and replayed.

`claim` inserts the key with ON CONFLICT DO NOTHING before any business work. On
PostgreSQL a second request with the same key blocks on that insert until the first
commits, then finds the stored response; on SQLite BEGIN IMMEDIATE serialises them.
If the business work fails, the claim rolls back with it and the key stays free.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Integer, String, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from showroom.clock import now_utc
from showroom.db import UTCDateTime
from showroom.errors import IdempotencyMismatch, ValidationFailed
from showroom.extensions import Model, db


class IdempotencyRecord(Model):
    """The first response to a money/stock POST, replayed for a repeated key."""

    __tablename__ = "idempotency_records"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    scope: Mapped[str] = mapped_column(String(80))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(String)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)


@dataclass(frozen=True)
class Replay:
    status: int
    body: dict[str, Any]


def fingerprint(scope: str, payload: Any) -> str:
    raw = json.dumps([scope, payload], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def clean_key(key: str | None) -> str | None:
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > 80 or not key.isprintable():
        raise ValidationFailed(_("Idempotency-Key must be 1 to 80 printable characters"),
                               errors={"Idempotency-Key": _("1 to 80 printable characters")})
    return key


def claim(key: str, scope: str, print_: str) -> Replay | None:
    """None: the key is ours, go ahead. Replay: answer with the stored response."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(IdempotencyRecord).values(key=key, scope=scope, fingerprint=print_,
                                            status=0, body="")
    claimed = db.session.execute(
        stmt.on_conflict_do_nothing(index_elements=["key"]).returning(IdempotencyRecord.key)
    ).scalar_one_or_none()
    if claimed is not None:
        return None
    record = db.session.execute(
        select(IdempotencyRecord).where(IdempotencyRecord.key == key)
    ).scalar_one()
    db.session.refresh(record)
    if record.scope != scope or record.fingerprint != print_:
        raise IdempotencyMismatch(
            _("this Idempotency-Key was already used for a different request; use a new key")
        )
    return Replay(status=record.status, body=json.loads(record.body))


def complete(key: str, status: int, body: dict[str, Any]) -> None:
    record = db.session.get(IdempotencyRecord, key)
    assert record is not None
    record.status = status
    record.body = json.dumps(body, ensure_ascii=False)
    db.session.flush()
