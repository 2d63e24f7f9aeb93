"""Rules that lived in one screen and now live in the services, so the clerk's screen,
reception, the customer screen and the API agree (issue 9): a clerk starts orders only
for their own visit and reuses an open one; a phone already on file is refused unless
the desk says "register anyway". Plus the number parsing a Chinese IME needs."""
from __future__ import annotations

from typing import Any

import factories
import pytest
from sqlalchemy import func, select

from showroom.clock import now_utc
from showroom.customers.models import Customer
from showroom.customers.services import register_customer, update_customer
from showroom.errors import DuplicatePhone, Forbidden, Problem, ValidationFailed, problem_code
from showroom.extensions import db
from showroom.labels import ref_label, station_label
from showroom.money import MoneyError, parse_fen
from showroom.orders.models import Order
from showroom.picking import services as ps
from showroom.reception.models import Visit
from showroom.validation import small_int


def _orders() -> int:
    return int(db.session.scalar(select(func.count()).select_from(Order)) or 0)


def _visit(clerk_id: int | None) -> Visit:
    cust = factories.customer()
    visit = Visit(customer_id=cust.id, status="with_clerk", clerk_id=clerk_id,
                  assigned_at=now_utc())
    db.session.add(visit)
    db.session.flush()
    return visit


def test_a_clerk_starts_an_order_for_their_own_visit_once(ctx: Any) -> None:
    clerk = factories.staff("clerk")
    visit = _visit(clerk.id)
    order, created = ps.start_order(None, visit_id=visit.id, staff=clerk)
    assert created and (order.visit_id, order.clerk_id, order.customer_id) == (
        visit.id, clerk.id, visit.customer_id)
    again, created_again = ps.start_order(visit.customer_id, visit_id=visit.id, staff=clerk)
    assert (again.id, created_again) == (order.id, False)
    assert _orders() == 1


def test_a_clerk_cannot_start_an_order_for_another_clerks_visit(ctx: Any) -> None:
    mine, theirs = factories.staff("clerk"), factories.staff("clerk")
    visit = _visit(theirs.id)
    with pytest.raises(Forbidden) as exc:
        ps.start_order(None, visit_id=visit.id, staff=mine)
    assert exc.value.status == 403 and "visit_id" in exc.value.errors
    with pytest.raises(Forbidden):
        ps.start_order(None, visit_id=_visit(None).id, staff=mine)  # nobody's yet
    assert _orders() == 0


@pytest.mark.parametrize("roles", [("manager",), ("reception",), ("clerk", "reception")])
def test_reception_and_managers_open_orders_for_any_visit(ctx: Any, roles: tuple[str, ...]) -> None:
    visit = _visit(factories.staff("clerk").id)
    order, created = ps.start_order(None, visit_id=visit.id, staff=factories.staff(*roles))
    assert created and order.visit_id == visit.id


def test_start_order_checks_visit_and_customer(ctx: Any) -> None:
    clerk = factories.staff("clerk")
    visit = _visit(clerk.id)
    other = factories.customer()
    with pytest.raises(ValidationFailed) as exc:
        ps.start_order(other.id, visit_id=visit.id, staff=clerk)
    assert "customer_id" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        ps.start_order(other.id, visit_id=999_999, staff=clerk)
    assert "visit_id" in exc.value.errors
    assert _orders() == 0
    phone_order, created = ps.start_order(other.id, channel="phone", staff=clerk)
    assert created and phone_order.visit_id is None and phone_order.clerk_id == clerk.id


def test_a_phone_already_on_file_needs_register_anyway(ctx: Any) -> None:
    first = register_customer(name="王丽", phone="13912340000", kind="wholesale")
    with pytest.raises(DuplicatePhone) as exc:
        register_customer(name="王丽丽", phone=" 13912340000 ", kind="franchise")
    assert exc.value.status == 409 and exc.value.code == "duplicate-phone"
    assert problem_code(exc.value.errors["phone"]) == "duplicate-phone"
    db.session.flush()
    assert db.session.scalar(select(func.count()).select_from(Customer)) == 1
    second = register_customer(name="王丽丽", phone="13912340000", kind="franchise",
                               register_anyway=True)
    assert second.id != first.id and second.phone == first.phone
    update_customer(second, phone="13912340000")  # corrections are not registrations


@pytest.mark.parametrize("fields, field, code", [
    ({"phone": "13900000000", "kind": "wholesale"}, "name", "required"),
    ({"name": "", "phone": "13900000000", "kind": "wholesale"}, "name", "required"),
    ({"name": "x" * 61, "phone": "13900000000", "kind": "wholesale"}, "name", "too-long"),
    ({"name": "王", "phone": "abc", "kind": "wholesale"}, "phone", "bad-phone"),
    ({"name": "王", "phone": "13900000000", "kind": "retail"}, "kind", "bad-kind"),
    ({"name": "王", "phone": 139, "kind": "wholesale"}, "phone", "not-text"),
    ({"name": "王", "phone": "13900000000", "kind": "wholesale", "email": "no"}, "email",
     "bad-email"),
])
def test_customer_field_problems_carry_codes(ctx: Any, fields: dict[str, object], field: str,
                                             code: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        register_customer(**fields)
    problem = exc.value.errors[field]
    assert isinstance(problem, Problem) and problem.code == code


def test_customer_form_rewords_by_code_not_by_sentence(app: Any) -> None:
    from showroom.customers.forms import field_errors

    with app.test_request_context("/?lang=en"):
        out = field_errors({"name": Problem("required", "whatever the words"),
                            "phone": Problem("duplicate-phone", "x"),
                            "address": Problem("too-long", "y"),
                            "region": "kept as it is"})
    assert out == {"name": "Required.", "phone": "Already registered for another customer.",
                   "address": "Too long.", "region": "kept as it is"}


@pytest.mark.parametrize("typed, fen", [
    ("１００", 10_000), ("１００．５", 10_050), ("100。5", 10_050), ("１２，３４５．６７", 1_234_567),
    ("￥８８", 8_800), (" １　", 100),
])
def test_money_accepts_what_a_chinese_ime_types(typed: str, fen: int) -> None:
    assert parse_fen(typed) == fen


@pytest.mark.parametrize("typed", ["１００．５５５", "１。２。３", "٣", "１e3", "²"])
def test_money_still_refuses_what_is_no_amount(typed: str) -> None:
    with pytest.raises(MoneyError):
        parse_fen(typed)


def test_small_int_takes_full_width_digits_only() -> None:
    assert small_int("１２") == 12 and small_int(" ３ ") == 3
    assert small_int("²") is None and small_int("-1") is None and small_int("１．５") is None


def test_station_codes_and_refs_read_in_the_screen_language(app: Any) -> None:
    with app.test_request_context("/"):  # Chinese by default
        assert station_label("cashier-1") == "收银台 1"
        assert station_label("pack-2") == "打包台 2"
        assert station_label("reception") == "前台"
        assert station_label("front-door") == "front-door"  # no label: as it is
        assert ref_label("OPENING") == "期初余额"
        assert ref_label("visit-12") == "来访 12"
        assert ref_label("XS-20260101-0001") == "XS-20260101-0001"
    with app.test_request_context("/?lang=en"):
        assert station_label("cashier-1") == "Cashier desk 1"


def test_notice_log_and_rate_table_have_their_own_words(app: Any) -> None:
    from flask_babel import gettext as _

    with app.test_request_context("/"):
        assert _("How told") == "通知方式"
        assert _("How it is worked out") == "计算方式"
        from showroom.labels import label
        assert label("settled", "order") == "已结算"
