"""Time: UTC in the database, showroom local time only for display and printouts."""
from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

_override: datetime | None = None


def now_utc() -> datetime:
    return _override if _override is not None else datetime.now(UTC)


def set_now(value: datetime | None) -> None:
    """Freeze the clock (tests only)."""
    global _override
    _override = value


def showroom_tz(name: str = "Asia/Shanghai") -> tzinfo:
    return ZoneInfo(name)


def local(dt: datetime, tz_name: str = "Asia/Shanghai") -> datetime:
    return dt.astimezone(showroom_tz(tz_name))


def local_day(dt: datetime | None = None, tz_name: str = "Asia/Shanghai") -> str:
    """YYYYMMDD of the showroom's calendar day, for document numbers."""
    return local(dt or now_utc(), tz_name).strftime("%Y%m%d")
