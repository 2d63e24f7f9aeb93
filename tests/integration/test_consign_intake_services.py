"""Consignors and their intake and withdrawal lists without HTTP, on both backends: the
code rule (kind prefix, running number never reused, surname incl. compound and Latin
names), a customer a consignor once, the share; an intake makes one product per line with
its stock and queues the list and one label per piece; present signs, absent is sent and
the returned signature recorded; a withdrawal never takes more than is on the floor; bad
input of every kind is refused by field and writes nothing."""
from __future__ import annotations

from typing import Any

import factories
import pytest
from consignment_support import consignor, counts, intake, jobs_of, lines, payload
from hypothesis import given, settings
from hypothesis import strategies as st

from showroom.catalog.models import Product, StockMove
from showroom.consignment.consignors import code_letters_number, make_consignor, surname_of
from showroom.consignment.intake import (
    IntakeLine,
    record_returned_signature,
    take_in,
    withdraw,
)
from showroom.consignment.models import SignatureState
from showroom.errors import Conflict, NotFound, RuleRefused, ValidationFailed
from showroom.extensions import db


@pytest.mark.parametrize(("name", "surname"), [
    ("李明", "李"), ("薛宝钗", "薛"), ("欧阳娜娜", "欧阳"), ("司马光", "司马"), ("诸葛亮", "诸葛"),
    ("上官婉儿", "上官"), ("东方明", "东方"), ("皇甫嵩", "皇甫"), ("尉迟恭", "尉迟"),
    ("公孙策", "公孙"), ("慕容复", "慕容"), ("长孙无忌", "长孙"), ("欧", "欧"),
    ("John Smith", "Smith"), ("  maría  lópez ", "Lopez"), ("Wolfeschlegelstein", "Wolfesch"),
    ("李明饰品店", "李"), ("１２３", ""), ("", "")])
def test_surname_rule(name: str, surname: str) -> None:
    assert surname_of(name) == surname


def test_codes_by_kind_with_running_numbers(ctx: Any) -> None:
    a = consignor("李明")
    b = consignor("薛宝钗", kind="franchise")
    c = consignor("欧阳娜娜")
    d = consignor("Anna Meyer", kind="franchise")
    db.session.commit()
    assert a.code.startswith("pf") and a.code.endswith("李")
    assert b.code.startswith("jm") and b.code.endswith("薛")
    assert c.code.startswith("pf") and c.code.endswith("欧阳")
    assert d.code.startswith("jm") and d.code.endswith("Meyer")
    pf = [int(x.code[2:-len(s)]) for x, s in ((a, "李"), (c, "欧阳"))]
    jm = [int(x.code[2:-len(s)]) for x, s in ((b, "薛"), (d, "Meyer"))]
    assert pf[1] == pf[0] + 1 and jm[1] == jm[0] + 1
    assert a.share_bp == 8000 and a.balance == 0


def test_a_customer_is_a_consignor_once_and_numbers_are_not_reused(ctx: Any) -> None:
    first = consignor("李明")
    db.session.commit()
    with pytest.raises(RuleRefused) as refused:
        make_consignor(first.customer_id)
    assert refused.value.rule == "consignor_exists" and refused.value.status == 409
    db.session.rollback()
    second = consignor("李强")
    assert int(second.code[2:-1]) > int(first.code[2:-1])


@pytest.mark.parametrize("share", [-1, 10001, True, "0.8", 80.0])
def test_bad_share_is_refused_and_writes_nothing(ctx: Any, share: Any) -> None:
    customer = factories.customer(name="李明")
    db.session.commit()
    before = counts()
    with pytest.raises(ValidationFailed) as bad:
        make_consignor(customer.id, share_bp=share)
    assert "consignor_share" in bad.value.errors
    db.session.rollback()
    assert counts() == before


def test_share_given_and_unknown_customer(ctx: Any) -> None:
    assert consignor("李明", share_bp=6550).share_bp == 6550
    assert consignor("王五", share_bp=0).share_bp == 0
    with pytest.raises(NotFound):
        make_consignor(987654)


def test_intake_absent_makes_products_stock_and_printouts(ctx: Any) -> None:
    desk = factories.staff("reception")
    c = consignor("李明")
    db.session.commit()
    listed = intake(c, n=2, qty=3, present=False, staff_id=desk.id, station="reception")
    db.session.commit()
    assert listed.number.startswith("DX-") and listed.kind == "intake"
    assert listed.signature_state == SignatureState.SENT and listed.sent_at is not None
    assert listed.signature_id is None and not listed.consignor_present
    head = c.code[:-1]
    products = [db.session.get(Product, ln.product_id) for ln in listed.lines]
    assert [p.code for p in products] == [f"{head}-001", f"{head}-002"]
    assert all(p.barcode == p.code and p.consignor_id == c.id and p.on_hand == 3
               for p in products)
    assert products[0].consignor_price == 8000 and products[1].consignor_price is None
    moves = db.session.query(StockMove).filter(StockMove.ref == listed.number).all()
    assert sorted((m.qty, m.reason) for m in moves) == [(3, "consign_in"), (3, "consign_in")]
    (list_job,) = jobs_of(listed.number, "consignment_list")
    doc = payload(list_job)
    assert doc["consignor_code"] == c.code and doc["signature_state"] == "sent"
    assert doc["total_qty"] == 6 and doc["lines"][0]["product_code"] == f"{head}-001"
    assert "*" in doc["consignor"]["phone_masked"] and list_job.station == "reception"
    for p in products:
        (label,) = jobs_of(p.code, "consignment_label")
        assert label.copies == 3
        assert payload(label)["consignor_code"] == c.code
        assert payload(label)["barcode"] == p.code


def test_intake_present_signs_and_product_numbers_run_per_consignor(ctx: Any) -> None:
    c = consignor("薛宝钗", kind="franchise")
    other = consignor("王五")
    first = intake(c, n=1, present=False)
    intake(other, n=1)
    second = intake(c, n=2, present=True)
    db.session.commit()
    assert second.signature_state == SignatureState.SIGNED and second.signature_id
    assert second.signed_at is not None and second.sent_at is None
    head = c.code[:-1]
    codes = [db.session.get(Product, ln.product_id).code for ln in (*first.lines, *second.lines)]
    assert codes == [f"{head}-001", f"{head}-002", f"{head}-003"]
    assert payload(jobs_of(second.number, "consignment_list")[0])["signature_png"]


BAD_LINES: list[tuple[list[IntakeLine], str]] = [
    ([], "lines"),
    ([IntakeLine("手镯", 0, 100, 100)], "lines.0.qty"),
    ([IntakeLine("手镯", -2, 100, 100)], "lines.0.qty"),
    ([IntakeLine("手镯", 1, -1, 100)], "lines.0.price_wholesale"),
    ([IntakeLine("手镯", 1, 100, -5)], "lines.0.price_franchise"),
    ([IntakeLine("手镯", 1, 100, 100, -1)], "lines.0.consignor_price"),
    ([IntakeLine("长" * 121, 1, 100, 100)], "lines.0.name"),
    ([IntakeLine("", 1, 100, 100)], "lines.0.name"),
    ([IntakeLine("手\u202e镯", 1, 100, 100)], "lines.0.name"),
    ([IntakeLine("好", 1, 100, 100), IntakeLine("手镯", 1, 1.5, 100)],  # type: ignore[arg-type]
     "lines.1.price_wholesale"),
]


@pytest.mark.parametrize(("bad", "field"), BAD_LINES)
def test_bad_intake_writes_nothing(ctx: Any, bad: list[IntakeLine], field: str) -> None:
    c = consignor("李明")
    db.session.commit()
    before = counts()
    with pytest.raises(ValidationFailed) as refused:
        take_in(c.id, bad, present=False)
    assert field in refused.value.errors and refused.value.message
    db.session.rollback()
    assert counts() == before


def test_signature_rules_write_nothing(ctx: Any) -> None:
    c = consignor("李明")
    db.session.commit()
    before = counts()
    for present, png in ((True, None), (True, b"not a png"), (False, factories.signature_png())):
        with pytest.raises(ValidationFailed) as refused:
            take_in(c.id, lines(1), present=present, signature_png=png)
        assert "signature" in refused.value.errors
        db.session.rollback()
    with pytest.raises(NotFound):
        take_in(424242, lines(1), present=False)
    db.session.rollback()
    assert counts() == before


def test_returned_signature_recorded_once(ctx: Any) -> None:
    desk = factories.staff("reception")
    c = consignor("李明")
    listed = intake(c, n=1)
    db.session.commit()
    with pytest.raises(ValidationFailed):
        record_returned_signature(listed.id, staff_id=desk.id)
    done = record_returned_signature(listed.id, signature_png=factories.signature_png(),
                                     staff_id=desk.id)
    db.session.commit()
    assert done.signature_state == SignatureState.RETURNED and done.signature_id
    assert done.signature_recorded_by_id == desk.id and done.signed_at is not None
    with pytest.raises(Conflict):
        record_returned_signature(listed.id, signature_png=factories.signature_png())


def test_returned_signature_as_photo_of_the_paper(ctx: Any) -> None:
    from repairs_support import jpeg

    c = consignor("李明")
    listed = intake(c, n=1)
    db.session.commit()
    done = record_returned_signature(listed.id, photo=jpeg(), staff_id=None)
    assert done.signature_state == SignatureState.RETURNED


def test_withdrawal_moves_stock_out_and_never_more_than_on_hand(ctx: Any) -> None:
    c = consignor("李明")
    listed = intake(c, n=2, qty=3)
    db.session.commit()
    code1, code2 = (db.session.get(Product, ln.product_id).code for ln in listed.lines)
    before = counts()
    with pytest.raises(RuleRefused) as refused:
        withdraw(listed.id, [(code1, 2), (code1, 2)], present=False)
    assert refused.value.rule == "consigned_on_hand" and code1 in refused.value.reasons[0]
    db.session.rollback()
    assert counts() == before
    back = withdraw(listed.id, [(code1, 2), (code2, 3)], present=True,
                    signature_png=factories.signature_png())
    db.session.commit()
    assert back.number.startswith("DT-") and back.kind == "withdrawal"
    assert back.intake_id == listed.id and back.signature_state == SignatureState.SIGNED
    assert [db.session.get(Product, ln.product_id).on_hand for ln in listed.lines] == [1, 0]
    assert sorted(ln.qty for ln in back.lines) == [2, 3]
    doc = payload(jobs_of(back.number, "consignment_list")[0])
    assert doc["kind"] == "withdrawal" and doc["intake_number"] == listed.number
    assert not jobs_of(back.number, "consignment_label")


@pytest.mark.parametrize(("bad", "field"), [
    ([], "lines"), ([("NOPE-001", 1)], "lines.0.product_code"), ([("X", 0)], "lines.0.qty")])
def test_bad_withdrawal_writes_nothing(ctx: Any, bad: list[tuple[str, int]], field: str) -> None:
    c = consignor("李明")
    listed = intake(c, n=1)
    ours = factories.product()
    db.session.commit()
    if bad and bad[0][0] == "X":
        bad = [(db.session.get(Product, listed.lines[0].product_id).code, 0)]
    before = counts()
    with pytest.raises(ValidationFailed) as refused:
        withdraw(listed.id, bad, present=False)
    assert field in refused.value.errors
    with pytest.raises(ValidationFailed):  # our own product is not on the list
        withdraw(listed.id, [(ours.code, 1)], present=False)
    db.session.rollback()
    assert counts() == before


@settings(max_examples=200, deadline=None)
@given(name=st.text(min_size=0, max_size=30), number=st.integers(min_value=1, max_value=99999),
       prefix=st.sampled_from(["pf", "jm"]))
def test_any_name_gives_a_code_whose_head_is_prefix_and_number(name: str, number: int,
                                                               prefix: str) -> None:
    """Whatever the customer is called, the surname part is short, never starts with an
    ASCII digit, and the product codes' ASCII head is exactly the prefix and the number."""
    surname = surname_of(name)
    assert len(surname) <= 8
    assert not surname[:1].isdigit() or not surname[:1].isascii()
    code = f"{prefix}{number}{surname}"
    assert code_letters_number(code) == f"{prefix}{number}"
    assert len(code) <= 24
