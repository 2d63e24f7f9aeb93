"""Shared set-up for the appointment tests: a fixed Tuesday, a customer, a clerk, two
pieces in stock, and a helper to book a call."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import factories

from showroom.appointments.services import book
from showroom.clock import set_now

TUESDAY_10 = datetime(2026, 12, 8, 2, 0, tzinfo=UTC)  # Tuesday 10:00 in Shanghai
AT_15 = datetime(2026, 12, 8, 7, 0, tzinfo=UTC)  # the call: Tuesday 15:00
AT_1530 = datetime(2026, 12, 8, 7, 30, tzinfo=UTC)
WED_11 = datetime(2026, 12, 9, 3, 0, tzinfo=UTC)  # Wednesday 11:00
SATURDAY_10 = datetime(2026, 12, 12, 2, 0, tzinfo=UTC)
TUESDAY_LUNCH = datetime(2026, 12, 8, 4, 30, tzinfo=UTC)  # 12:30, the lunch break


def world() -> dict[str, Any]:
    set_now(TUESDAY_10)
    clerk = factories.staff("clerk", name="业务小王")
    desk = factories.staff("reception", name="前台小李")
    cust = factories.customer(name="远方饰品店")
    p1 = factories.product(code="VC-0001", wholesale=12_000, stock=10)
    p1.washing_note, p1.background = "温水加中性洗剂轻洗", "苗族银饰纹样"
    p2 = factories.product(code="VC-0002", wholesale=8_800, stock=1)
    return {"clerk": clerk, "desk": desk, "customer": cust, "p1": p1, "p2": p2}


def booked(w: dict[str, Any], at: datetime = AT_15, wanted: str = "新款手链，价位百元内") -> Any:
    return book(customer_id=w["customer"].id, clerk_id=w["clerk"].id, starts_at=at,
                wanted=wanted, staff_id=w["desk"].id)
