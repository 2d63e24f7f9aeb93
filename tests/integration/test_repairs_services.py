"""Repairs without HTTP, on both backends: intake with photos and printouts, Thai silver
refused by its rule with nothing written, every kind of bad input refused by field, the
route (in-house with the receiver's PIN, abroad as a batch with its window), overdue after
the window, back with the weight checked and the callback opened once, collected or
shipped; and the follow-up service (once per source, lists, done)."""
from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import factories
import pytest
from PIL import Image
from repairs_support import BAD_CODES, bad_photo, counts, jpeg, png
from shipping_factories import packed_order
from sqlalchemy import select

from showroom.attachments.models import Attachment
from showroom.auth.services import SignInFailed
from showroom.clock import set_now
from showroom.errors import Conflict, Forbidden, InvalidTransition, RuleRefused, ValidationFailed
from showroom.extensions import db
from showroom.followups.models import FollowUp, FollowUpKind
from showroom.followups.services import followup_list, mark_done, open_followup, parse_done
from showroom.printjobs.models import PrintJob
from showroom.reception.services import assign_clerk, start_visit
from showroom.repairs.intake import parse_intake, take_in
from showroom.repairs.models import Custody, Repair, RepairStatus
from showroom.repairs.moves import (
    AbroadIn,
    add_months,
    back,
    collect,
    parse_abroad,
    route_abroad,
    route_in_house,
)
from showroom.repairs.queries import repair_list
from showroom.shipping.services import ship_order

PIN = "246810"
MONDAY_10 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 23 Nov 2026, 10:00 in Shanghai


@pytest.fixture
def world(ctx: Any) -> dict[str, Any]:
    set_now(MONDAY_10)
    w = {"desk": factories.staff("reception", staff_no="6001"),
         "manager": factories.staff("manager", staff_no="6002"),
         "workshop": factories.staff("clerk", staff_no="6003"),
         "customer": factories.customer(name="王丽华饰品店")}
    db.session.commit()
    return w


def intake(w: dict[str, Any], photos: tuple[bytes, ...] = (), **over: Any) -> Repair:
    raw = {"customer_id": w["customer"].id, "description": "主石脱落", "part": "戒托",
           "material": "silver_925", "weight_g": "5.20", **over}
    return take_in(parse_intake(raw), photos, staff_id=w["desk"].id, station="reception")


def test_intake_numbers_the_piece_keeps_photos_custody_and_queues_printouts(world):
    r = intake(world, (jpeg(), png()), product_code="SL-1024")
    db.session.commit()
    assert r.number.startswith("WX-20261123-")
    assert r.status == RepairStatus.RECEIVED and r.weight_in_cg == 520
    assert [(c.from_place, c.to_place, c.receiver_id) for c in r.custody] == [
        ("customer", "counter", world["desk"].id)]
    photos = db.session.scalars(select(Attachment).order_by(Attachment.id)).all()
    assert [(p.owner_type, p.owner_id, p.media_type) for p in photos] == [
        ("repair", r.id, "image/jpeg"), ("repair", r.id, "image/png")]
    jobs = {j.document: j for j in db.session.scalars(select(PrintJob))}
    assert set(jobs) == {"repair_receipt", "repair_bag_label"}
    receipt = json.loads(jobs["repair_receipt"].payload)
    assert receipt["copies"] == ["客户联", "工坊联", "存根联"]
    assert receipt["weight"] == "5.20" and receipt["photos"] == 2
    assert receipt["customer"]["phone_masked"].count("*") == 4
    assert jobs["repair_receipt"].station == "reception"


def test_weights_are_exact_to_the_centigram(world):
    assert intake(world, weight_g="１２.３５").weight_in_cg == 1235  # full-width digits
    assert intake(world, weight_g="0.01").weight_in_cg == 1
    assert intake(world, weight_g="").weight_in_cg is None


def test_thai_silver_is_refused_by_its_rule_and_nothing_is_written(world):
    before = counts()
    with pytest.raises(RuleRefused) as exc:
        intake(world, (jpeg(),), material="thai_silver")
    assert exc.value.rule == "thai_silver" and exc.value.status == 409
    assert any("泰银" in r or "Thai silver" in r for r in exc.value.reasons)
    db.session.rollback()
    assert counts() == before


@pytest.mark.parametrize(("over", "field", "code"), [
    ({"description": ""}, "description", "required"),
    ({"description": "   "}, "description", "required"),
    ({"part": ""}, "part", "required"),
    ({"weight_g": "-1"}, "weight_g", "bad-weight"),
    ({"weight_g": "1.2345"}, "weight_g", "bad-weight"),
    ({"weight_g": "0"}, "weight_g", "bad-weight"),
    ({"weight_g": "abc"}, "weight_g", "bad-weight"),
    ({"weight_g": "99999.99"}, "weight_g", "bad-weight"),
    ({"material": "unobtainium"}, "material", "bad-material"),
    ({"material": ""}, "material", "bad-material"),
    ({"customer_id": 987654}, "customer_id", "unknown"),
    ({"customer_id": "x"}, "customer_id", "required"),
    ({"part": "戒\u202e托"}, "part", "bad-text"),
    ({"product_code": "X" * 41}, "product_code", "too-long"),
])
def test_bad_intake_is_refused_by_field(world, over, field, code):
    before = counts()
    with pytest.raises(ValidationFailed) as exc:
        intake(world, **over)
    assert exc.value.errors[field].code == code
    db.session.rollback()
    assert counts() == before


@pytest.mark.parametrize("name", sorted(BAD_CODES))
def test_bad_photos_are_refused_before_decoding_and_nothing_is_written(world, name):
    before = counts()
    with pytest.raises(ValidationFailed) as exc:
        intake(world, (jpeg(), bad_photo(name)))
    assert exc.value.errors["photo2"].code == BAD_CODES[name], exc.value.errors
    db.session.rollback()
    assert counts() == before


def test_a_photo_is_re_encoded_without_its_metadata(world):
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90°
    r = intake(world, (jpeg(64, 48, exif=exif.tobytes()),))
    db.session.commit()
    stored = db.session.scalars(select(Attachment)).one()
    with Image.open(io.BytesIO(stored.data)) as img:
        assert img.format == "JPEG" and (img.width, img.height) == (48, 64)  # turned upright
        assert not img.getexif()
    assert stored.owner_id == r.id


def test_more_than_four_photos_are_refused(world):
    with pytest.raises(ValidationFailed):
        intake(world, (jpeg(),) * 5)


def test_in_house_needs_the_workshop_staffs_pin(world):
    r = intake(world)
    db.session.commit()
    with pytest.raises(SignInFailed):
        route_in_house(r.id, receiver_staff_no="6003", receiver_pin="000000",
                       manager=world["manager"])
    db.session.rollback()
    with pytest.raises(ValidationFailed):
        route_in_house(r.id, receiver_staff_no="", receiver_pin="", manager=world["manager"])
    db.session.rollback()
    with pytest.raises(Forbidden):
        route_in_house(r.id, receiver_staff_no="6003", receiver_pin=PIN, manager=world["desk"])
    db.session.rollback()
    route_in_house(r.id, receiver_staff_no="6003", receiver_pin=PIN, manager=world["manager"])
    db.session.commit()
    assert r.status == RepairStatus.IN_HOUSE and r.route == "in_house"
    last = r.custody[-1]
    assert (last.from_place, last.to_place, last.staff_id, last.receiver_id) == (
        "counter", "workshop", world["manager"].id, world["workshop"].id)
    with pytest.raises(InvalidTransition):
        route_in_house(r.id, receiver_staff_no="6003", receiver_pin=PIN, manager=world["manager"])


def test_abroad_as_one_batch_with_its_window_and_hand_over_list(world):
    a, b = intake(world), intake(world, part="链扣", material="gold", weight_g="8.20")
    db.session.commit()
    rs = route_abroad([b.id, a.id], AbroadIn("曼谷金工坊", 1, 6, "6003", PIN),
                      manager=world["manager"], station="manager")
    db.session.commit()
    assert {r.batch for r in rs} == {rs[0].batch} and rs[0].batch.startswith("SW-")
    for r in rs:
        assert r.status == RepairStatus.ABROAD
        assert (r.expected_back_from, r.expected_back_to) == (date(2026, 12, 23), date(2027, 5, 23))
        assert (r.custody[-1].to_place, r.custody[-1].receiver_id,
                r.custody[-1].receiver_name) == ("abroad", world["workshop"].id, "曼谷金工坊")
    job = db.session.scalars(select(PrintJob).where(PrintJob.document == "repair_handover")).one()
    payload = json.loads(job.payload)
    assert [ln["number"] for ln in payload["lines"]] == [a.number, b.number]
    assert payload["partner"] == "曼谷金工坊" and payload["carrier"].startswith("6003")


@pytest.mark.parametrize(("raw", "field"), [
    ({"partner": ""}, "partner"),
    ({"partner": "X", "months_from": 0}, "months_from"),
    ({"partner": "X", "months_to": 7}, "months_to"),
    ({"partner": "X", "months_from": 5, "months_to": 2}, "months_to"),
    ({"partner": "X", "carrier_staff_no": "6003"}, "carrier_pin"),
])
def test_abroad_refuses_a_bad_hand_over(raw, field, ctx):
    with pytest.raises(ValidationFailed) as exc:
        parse_abroad(raw)
    assert field in exc.value.errors


def test_add_months_clamps_to_the_month_end():
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 1, 15), 1) == date(2026, 2, 15)


def test_overdue_only_after_the_window(world):
    r = intake(world)
    db.session.commit()
    route_abroad([r.id], AbroadIn("曼谷金工坊", 1, 1), manager=world["manager"])
    db.session.commit()
    assert r.expected_back_to == date(2026, 12, 23)
    set_now(datetime(2026, 12, 23, 15, 0, tzinfo=UTC))  # 23:00 local, still the last day
    assert repair_list(which="overdue") == []
    set_now(datetime(2026, 12, 23, 16, 30, tzinfo=UTC))  # 00:30 on the 24th in Shanghai
    assert [x.id for x in repair_list(which="overdue")] == [r.id]
    assert [x.id for x in repair_list(overdue=True, customer_id=world["customer"].id)] == [r.id]


def _abroad(world: dict[str, Any], **over: Any) -> Repair:
    r = intake(world, **over)
    db.session.commit()
    route_abroad([r.id], AbroadIn("曼谷金工坊", 1, 6), manager=world["manager"])
    db.session.commit()
    return r


def test_back_checks_the_weight_and_opens_the_callback_once(world):
    r = _abroad(world)
    set_now(datetime(2026, 12, 18, 9, 0, tzinfo=UTC))  # Friday 17:00 local
    back(r.id, weight_g="5.24", note="换了主石", staff=world["desk"])
    db.session.commit()
    assert r.status == RepairStatus.BACK and r.weight_out_cg == 524 and not r.weight_flag
    assert (r.custody[-1].from_place, r.custody[-1].to_place) == ("abroad", "counter")
    f = db.session.scalars(select(FollowUp)).one()
    assert (f.kind, f.source_type, f.source_id, f.owner_id) == ("repair_callback", "repair",
                                                                 r.id, None)
    assert f.due_at == datetime(2026, 12, 21, 1, 0, tzinfo=UTC)  # Monday 09:00 local
    again = open_followup(FollowUpKind.REPAIR_CALLBACK, customer_id=r.customer_id,
                          source_type="repair", source_id=r.id, due_at=MONDAY_10)
    db.session.commit()
    assert again.id == f.id and again.due_at == f.due_at
    assert db.session.scalars(select(FollowUp)).all() == [f]
    with pytest.raises(InvalidTransition):
        back(r.id, weight_g="5.20", staff=world["desk"])


@pytest.mark.parametrize(("out", "flag"), [("5.25", False), ("5.15", False), ("5.26", True),
                                           ("4.90", True)])
def test_a_weight_beyond_the_tolerance_is_flagged(world, out, flag):
    r = _abroad(world)
    back(r.id, weight_g=out, staff=world["desk"])
    assert r.weight_flag is flag


def test_back_needs_a_weight_when_one_was_taken_and_refuses_a_bad_one(world):
    r = _abroad(world)
    for weight in ("", "-2", "1.234"):
        with pytest.raises(ValidationFailed):
            back(r.id, weight_g=weight, staff=world["desk"])
        db.session.rollback()
    unweighed = _abroad(world, weight_g="")
    back(unweighed.id, weight_g="", staff=world["desk"])
    assert unweighed.weight_out_cg is None and not unweighed.weight_flag


def test_the_callback_belongs_to_the_customers_clerk(world):
    world["workshop"].on_duty = True
    visit = start_visit(world["customer"].id)
    assign_clerk(visit.id, "6003")
    r = _abroad(world)
    back(r.id, weight_g="5.20", staff=world["desk"])
    db.session.commit()
    assert db.session.scalars(select(FollowUp)).one().owner_id == world["workshop"].id


def test_collected_at_the_counter_or_shipped_with_the_customers_shipment(world):
    r1, r2 = _abroad(world), _abroad(world)
    for r in (r1, r2):
        back(r.id, weight_g="5.20", staff=world["desk"])
    order = packed_order(customer=world["customer"])
    other = packed_order()
    mine = ship_order(order.id, carrier="sf_express", waybill="SF1234567890123", fee="0",
                      staff_id=None)
    theirs = ship_order(other.id, carrier="sf_express", waybill="SF1234567890124", fee="0",
                        staff_id=None)
    db.session.commit()
    with pytest.raises(ValidationFailed):
        collect(r2.id, shipment_id=theirs.id, staff=world["desk"])
    db.session.rollback()
    collect(r1.id, staff=world["desk"])
    collect(r2.id, shipment_id=mine.id, staff=world["desk"])
    db.session.commit()
    assert (r1.status, r2.status, r2.shipment_id) == ("collected", "shipped", mine.id)
    assert (r1.custody[-1].to_place, r2.custody[-1].to_place) == ("customer", "carrier")
    with pytest.raises(InvalidTransition):
        collect(r1.id, staff=world["desk"])


def test_collect_refuses_a_piece_not_back(world):
    r = intake(world)
    with pytest.raises(InvalidTransition):
        collect(r.id, staff=world["desk"])


def test_every_change_of_hands_is_recorded_in_order(world):
    r = _abroad(world)
    back(r.id, weight_g="5.20", staff=world["desk"])
    collect(r.id, staff=world["desk"])
    db.session.commit()
    rows = db.session.scalars(select(Custody).where(Custody.repair_id == r.id)
                              .order_by(Custody.id)).all()
    assert [(c.from_place, c.to_place) for c in rows] == [
        ("customer", "counter"), ("counter", "abroad"), ("abroad", "counter"),
        ("counter", "customer")]


# -- follow-ups -------------------------------------------------------------------------

def _followup(customer_id: int, source_id: int, due: datetime, owner: int | None = None
              ) -> FollowUp:
    return open_followup(FollowUpKind.REPAIR_CALLBACK, customer_id=customer_id,
                         source_type="repair", source_id=source_id, due_at=due, owner_id=owner)


def test_lists_by_owner_and_for_the_manager(world):
    cid = world["customer"].id
    overdue = _followup(cid, 1, MONDAY_10 - timedelta(days=1))
    today = _followup(cid, 2, MONDAY_10 + timedelta(hours=3))
    coming = _followup(cid, 3, MONDAY_10 + timedelta(days=2))
    clerks = _followup(cid, 4, MONDAY_10 - timedelta(minutes=5), owner=world["workshop"].id)
    _followup(cid, 5, MONDAY_10 + timedelta(days=30))  # beyond the week
    db.session.commit()
    mine = followup_list(world["desk"])
    assert ([f.id for f in mine.overdue], [f.id for f in mine.today],
            [f.id for f in mine.coming]) == ([overdue.id], [today.id], [coming.id])
    assert [f.id for f in followup_list(world["workshop"]).overdue] == [clerks.id]
    assert followup_list(world["workshop"]).today == []
    everyone = followup_list(world["manager"], everyone=True)
    assert everyone.count == 4


def test_done_once_with_an_outcome(world):
    f = _followup(world["customer"].id, 9, MONDAY_10)
    db.session.commit()
    with pytest.raises(ValidationFailed):
        parse_done({"outcome": "other", "note": ""})
    with pytest.raises(ValidationFailed):
        parse_done({"outcome": "maybe"})
    mark_done(f.id, *parse_done({"outcome": "satisfied", "note": "很满意"}), staff=world["desk"])
    db.session.commit()
    assert (f.outcome, f.note, f.done_by_id) == ("satisfied", "很满意", world["desk"].id)
    assert followup_list(world["desk"]).count == 0
    with pytest.raises(Conflict):
        mark_done(f.id, "satisfied", "", staff=world["desk"])


def test_someone_elses_follow_up_is_theirs(world):
    f = _followup(world["customer"].id, 10, MONDAY_10, owner=world["workshop"].id)
    db.session.commit()
    with pytest.raises(Forbidden):
        mark_done(f.id, "no_answer", "", staff=world["desk"])
    mark_done(f.id, "no_answer", "", staff=world["manager"])
