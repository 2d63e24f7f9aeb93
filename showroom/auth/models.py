"""Staff, their roles, sign-in attempts and revocable API tokens.

`Staff.session_epoch` ends sessions: every browser session and API token carries the
epoch it was issued under, and sign-out, a PIN change or disabling the staff member
adds one, so everything issued before stops working on its next request.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from showroom.clock import now_utc
from showroom.codes import Code
from showroom.db import UTCDateTime
from showroom.extensions import Model


class Role(Code):
    RECEPTION = "reception", _l("Reception")
    CLERK = "clerk", _l("Clerk")
    CASHIER = "cashier", _l("Cashier")
    PACKER = "packer", _l("Packer")
    SHIPPER = "shipper", _l("Shipper")
    MANAGER = "manager", _l("Manager")  # passes every role check


ROLES = Role.codes()


class Staff(UserMixin, Model):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_no: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    pin_hash: Mapped[str] = mapped_column(String(255))
    roles: Mapped[str] = mapped_column(String(120))  # comma-separated ROLES
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    on_duty: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    def get_id(self) -> str:
        """Flask-Login keeps this in the session cookie: the id and the session epoch, so a
        cookie from before a sign-out no longer loads anyone ("alternative token")."""
        return f"{self.id}:{self.session_epoch}"

    @property
    def role_set(self) -> frozenset[str]:
        return frozenset(r for r in self.roles.split(",") if r)

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set & set(roles)) or "manager" in self.role_set

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active


class LoginAttempt(Model):
    """Every sign-in try, kept for lockout and for the manager to read."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_staff_no_at", "staff_no", "at"),
                      Index("ix_login_attempts_address_at", "address", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_no: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    success: Mapped[bool] = mapped_column(Boolean)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(60), default="")  # what asked: screen, api, packing:…
    address: Mapped[str] = mapped_column(String(64), default="", server_default="")  # client IP


class ApiToken(Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    station: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    uses: Mapped[int] = mapped_column(Integer, default=0)
    epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # Staff.session_epoch

    staff: Mapped[Staff] = relationship()
