"""Document numbers like XS-20261122-0007: one counter row per prefix and day.

The counter is bumped with a single INSERT … ON CONFLICT DO UPDATE … RETURNING,
which is atomic on SQLite (under its write lock) and on PostgreSQL (row lock), so
concurrent orders never share a number.
"""
from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from showroom.clock import local_day
from showroom.extensions import Model, db

PREFIXES = {
    "order": "XS",  # 销售单
    "return": "TH",  # 退货单
    "exchange": "HH",  # 换货单
    "receipt": "RK",  # 入库单
    "visit": "LF",  # 来访
    "inquiry": "ZX",  # 咨询
    "shipment": "FH",  # 发货
    "desk_payment": "SK",  # 收款单
    "credit_refund": "TK",  # 退款单
    "shift_close": "JB",  # 交班
    "repair": "WX",  # 维修单
    "repair_batch": "SW",  # 送外维修交接单
    "consignment": "DX",  # 委托代销清单
    "consignment_withdrawal": "DT",  # 代销退还清单
    "consignor_payout": "DF",  # 代销付款单
    "complaint": "TS",  # 投诉单
    "appointment": "YY",  # 视频预约
}


class DocumentCounter(Model):
    __tablename__ = "document_counters"

    prefix: Mapped[str] = mapped_column(String(8), primary_key=True)
    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, nullable=False)


def next_number(kind: str, tz_name: str = "Asia/Shanghai") -> str:
    prefix = PREFIXES[kind]
    day = local_day(tz_name=tz_name)
    last = _bump(prefix, day)
    return f"{prefix}-{day}-{last:04d}"


def _bump(prefix: str, day: str) -> int:
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(DocumentCounter).values(prefix=prefix, day=day, last=1).on_conflict_do_update(
        index_elements=["prefix", "day"], set_={"last": DocumentCounter.last + 1}
    )
    return int(db.session.execute(stmt.returning(DocumentCounter.last)).scalar_one())


def next_code(prefix: str, width: int = 5) -> str:
    """A running code that never resets, e.g. customer codes K00042."""
    return f"{prefix}{_bump(prefix, '-'):0{width}d}"
