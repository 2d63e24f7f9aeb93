"""对账单 service: opening + entries == closing, periods cut at showroom-local midnight,
Chinese kind names, masked phone, and bad periods refused by field."""
from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import factories
import pytest

from printing.documents import CustomerStatement, document_from_payload
from showroom.clock import set_now
from showroom.customers.services import post_entry, reverse_entry
from showroom.customers.statement import Period, file_name, parse_period, statement_payload, this_month
from showroom.errors import ValidationFailed
from showroom.money import fen_str

NOV = Period(date(2026, 11, 1), date(2026, 11, 30))


def _at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _post(customer_id: int, when: datetime, kind: str, amount: int, ref: str = "") -> int:
    set_now(when)
    try:
        return post_entry(customer_id, kind, amount, ref=ref).id
    finally:
        set_now(None)


@pytest.fixture
def customer(ctx):
    return factories.customer(name="王丽华饰品店", phone="13912345678")


def _money(text: str) -> Decimal:
    return Decimal(text)


def test_opening_plus_entries_is_closing(ctx, customer):
    _post(customer.id, _at(2026, 10, 3, 2), "sale", 120_000, "XS-OLD-1")
    _post(customer.id, _at(2026, 10, 20, 2), "payment", -20_000, "XS-OLD-1")
    _post(customer.id, _at(2026, 11, 5, 3), "sale", 39_150, "XS-20261105-0001")
    _post(customer.id, _at(2026, 11, 6, 3), "payment", -30_000, "XS-20261105-0001")
    _post(customer.id, _at(2026, 11, 7, 3), "shipping_fee", 1_500, "XS-20261105-0001")
    _post(customer.id, _at(2026, 12, 2, 3), "sale", 99_999, "XS-LATER")

    doc = statement_payload(customer.id, NOV)

    assert doc["opening_balance"] == "1000.00"
    assert [e["ref"] for e in doc["entries"]] == ["XS-20261105-0001"] * 3
    amounts = [_money(e["amount"]) for e in doc["entries"]]
    assert amounts == [Decimal("391.50"), Decimal("-300.00"), Decimal("15.00")]
    assert _money(doc["opening_balance"]) + sum(amounts) == _money(doc["closing_balance"])
    assert doc["closing_balance"] == "1106.50"
    running = _money(doc["opening_balance"])
    for e in doc["entries"]:
        running += _money(e["amount"])
        assert _money(e["balance_after"]) == running
    assert doc["entries"][-1]["balance_after"] == doc["closing_balance"]


def test_balance_after_matches_the_ledger_when_posted_in_order(ctx, customer):
    from showroom.customers.models import LedgerEntry
    from showroom.extensions import db

    ids = [_post(customer.id, _at(2026, 11, d, 4), "sale", 1_000 * d) for d in (2, 9, 16)]
    doc = statement_payload(customer.id, NOV)
    stored = [db.session.get(LedgerEntry, i).balance_after for i in ids]  # type: ignore[union-attr]
    assert [e["balance_after"] for e in doc["entries"]] == [fen_str(b) for b in stored]


def test_period_boundaries_are_showroom_local_midnights(ctx, customer):
    # Asia/Shanghai is UTC+8: local 2026-11-01 00:00 is 2026-10-31 16:00 UTC.
    _post(customer.id, _at(2026, 10, 31, 15, 59, 59), "sale", 100, "last-second-october")
    _post(customer.id, _at(2026, 10, 31, 16, 0, 0), "sale", 200, "first-second-november")
    _post(customer.id, _at(2026, 11, 30, 15, 59, 59), "sale", 400, "last-second-november")
    _post(customer.id, _at(2026, 11, 30, 16, 0, 0), "sale", 800, "first-second-december")

    doc = statement_payload(customer.id, NOV)

    assert doc["opening_balance"] == "1.00"
    assert [e["ref"] for e in doc["entries"]] == ["first-second-november", "last-second-november"]
    assert [e["date"] for e in doc["entries"]] == ["2026-11-01", "2026-11-30"]  # local dates
    assert doc["closing_balance"] == "7.00"


def test_one_day_period_and_empty_period(ctx, customer):
    _post(customer.id, _at(2026, 11, 5, 1), "sale", 5_000, "A")
    _post(customer.id, _at(2026, 11, 6, 1), "payment", -2_000, "B")
    one_day = statement_payload(customer.id, Period(date(2026, 11, 6), date(2026, 11, 6)))
    assert one_day["opening_balance"] == "50.00"
    assert [e["ref"] for e in one_day["entries"]] == ["B"]
    assert one_day["closing_balance"] == "30.00"
    empty = statement_payload(customer.id, Period(date(2026, 12, 1), date(2026, 12, 31)))
    assert empty["entries"] == []
    assert empty["opening_balance"] == empty["closing_balance"] == "30.00"


def test_negative_balance_is_credit_held(ctx, customer):
    _post(customer.id, _at(2026, 11, 5, 1), "payment", -12_345, "PREPAY")
    doc = statement_payload(customer.id, NOV)
    assert doc["entries"][0]["amount"] == "-123.45"
    assert doc["closing_balance"] == "-123.45"


def test_kinds_are_codes_and_reversals_listed(ctx, customer):
    fee = _post(customer.id, _at(2026, 11, 5, 1), "shipping_fee", 5_000, "YF-1")
    set_now(_at(2026, 11, 5, 2))
    try:
        reverse_entry(fee, staff_id=None, note="录错")
    finally:
        set_now(None)
    _post(customer.id, _at(2026, 11, 6, 1), "return_credit", -1_000, "TH-1")
    doc = statement_payload(customer.id, NOV)
    assert [e["kind"] for e in doc["entries"]] == ["shipping_fee", "reversal", "return_credit"]
    assert [e["amount"] for e in doc["entries"]] == ["50.00", "-50.00", "-10.00"]
    # the reversal (冲销) names what it reverses and carries its ref
    assert (doc["entries"][1]["reverses"], doc["entries"][1]["ref"]) == ("shipping_fee", "YF-1")
    assert doc["closing_balance"] == "-10.00" and doc["lang"] == "zh"
    assert statement_payload(customer.id, NOV, lang="en")["lang"] == "en"


def test_payload_is_a_customer_statement_with_a_masked_phone(ctx, customer, app):
    _post(customer.id, _at(2026, 11, 5, 1), "sale", 5_000, "XS-1")
    doc = statement_payload(customer.id, NOV)
    statement = document_from_payload("customer_statement", doc)
    assert isinstance(statement, CustomerStatement)
    assert statement.customer.name == "王丽华饰品店"
    assert statement.customer.phone_masked == "139****5678"
    assert "13912345678" not in repr(doc)
    assert statement.period_from == "2026-11-01" and statement.period_to == "2026-11-30"
    assert statement.shop == app.config["SHOWROOM_SHOP_NAME"]


def test_this_month_follows_the_showroom_calendar(ctx):
    set_now(_at(2026, 11, 30, 17, 0))  # 2026-12-01 01:00 in the showroom
    try:
        assert this_month() == Period(date(2026, 12, 1), date(2026, 12, 31))
    finally:
        set_now(None)
    set_now(_at(2028, 2, 10, 4))
    try:
        assert this_month() == Period(date(2028, 2, 1), date(2028, 2, 29))
    finally:
        set_now(None)


def test_file_name_names_the_month_or_the_days(ctx, customer):
    assert file_name(customer, NOV) == f"对账单-{customer.code}-2026-11.pdf"
    part = Period(date(2026, 11, 1), date(2026, 11, 15))
    assert file_name(customer, part) == f"对账单-{customer.code}-2026-11-01_2026-11-15.pdf"


def test_parse_period_accepts_dates():
    assert parse_period(" 2026-11-01 ", "2026-11-30") == NOV
    assert parse_period("2026-11-30", "2026-11-30").start == date(2026, 11, 30)


@pytest.mark.parametrize(("start", "end", "fields"), [
    ("", "2026-11-30", {"from"}),
    (None, None, {"from", "to"}),
    ("2026-11-31", "2026-12-01", {"from"}),
    ("2026/11/01", "2026-11-30", {"from"}),
    ("20261101", "2026-11-30", {"from"}),
    ("2026-W01-1", "2026-11-30", {"from"}),
    ("2026-11-01", "1900-01-01", {"to"}),
    ("2026-11-30", "2026-11-01", {"to"}),
    ("0001-01-01", "9999-12-31", {"from", "to"}),
])
def test_parse_period_refuses_bad_dates(ctx, start, end, fields):
    with pytest.raises(ValidationFailed) as caught:
        parse_period(start, end)
    assert set(caught.value.errors) == fields
    assert all(caught.value.errors.values())
