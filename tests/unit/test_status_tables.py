"""Every status column changes only through its table (showroom.codes.StatusTable): each
allowed move works, every other one raises InvalidTransition (409); bulk UPDATEs name
only the allowed from-states; code lists are StrEnums equal to the stored strings."""
from __future__ import annotations

from itertools import product
from types import SimpleNamespace
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError
from sqlalchemy.dialects import sqlite

from showroom.api.types import OneOf
from showroom.codes import StatusTable
from showroom.errors import InvalidTransition
from showroom.orders.models import ORDER_MOVES, Order, OrderStatus
from showroom.packing.models import PACKING_MOVES, Packing, PackingStatus
from showroom.printjobs.models import JOB_MOVES, JobStatus, PrintJob
from showroom.reception.models import VISIT_MOVES, Visit, VisitStatus
from showroom.shipping.carriers import CARRIERS, Carrier, carrier_name
from showroom.shipping.models import NOTICE_MOVES, NoticeStatus, ShipmentNotice

TABLES: list[tuple[StatusTable[Any], Any, Any, dict[str, set[str]]]] = [
    (ORDER_MOVES, OrderStatus, Order, {
        "open": {"awaiting_settlement", "cancelled"},
        "awaiting_settlement": {"open", "settled", "cancelled"},
        "settled": {"packed"}, "packed": {"shipped"}, "shipped": set(), "cancelled": set()}),
    (VISIT_MOVES, VisitStatus, Visit, {
        "waiting": {"greeted", "with_clerk", "left"}, "greeted": {"with_clerk", "left"},
        "with_clerk": {"with_clerk", "left"}, "left": set()}),
    (JOB_MOVES, JobStatus, PrintJob, {
        "queued": {"printing"},
        "printing": {"queued", "printed", "failed", "needs_attention"},
        "needs_attention": {"printed"}, "printed": set(), "failed": set()}),
    (PACKING_MOVES, PackingStatus, Packing, {"packing": {"sealed"}, "sealed": set()}),
    (NOTICE_MOVES, NoticeStatus, ShipmentNotice, {
        "queued": {"sending"}, "sending": {"sent", "queued", "failed"},
        "done": set(), "sent": set(), "failed": set()}),
]
IDS = ["order", "visit", "print_job", "packing", "notice"]


@pytest.mark.parametrize(("table", "enum", "model", "expected"), TABLES, ids=IDS)
def test_the_table_is_the_one_written_down_and_covers_every_status(table, enum, model, expected):
    assert table.moves == {k: frozenset(v) for k, v in expected.items()}
    assert set(table.moves) == {s.value for s in enum}  # no status without a row


@pytest.mark.parametrize(("table", "enum", "model", "expected"), TABLES, ids=IDS)
def test_every_allowed_move_works(table, enum, model, expected):
    for current, nexts in expected.items():
        for new in nexts:
            row = SimpleNamespace(status=current)
            table.move(row, enum(new), name="#1")
            assert row.status == new and isinstance(row.status, enum)


@pytest.mark.parametrize(("table", "enum", "model", "expected"), TABLES, ids=IDS)
def test_every_other_move_raises_and_changes_nothing(table, enum, model, expected):
    refused = [(a, b) for a, b in product(expected, expected) if b not in expected[a]]
    assert refused  # each table refuses something
    for current, new in refused:
        row = SimpleNamespace(status=current)
        with pytest.raises(InvalidTransition) as caught:
            table.move(row, enum(new), name="#1")
        assert row.status == current
        assert caught.value.status == 409 and caught.value.code == "invalid-transition"


@pytest.mark.parametrize(("table", "enum", "model", "expected"), TABLES, ids=IDS)
def test_bulk_updates_name_only_the_allowed_from_states(table, enum, model, expected):
    for new in expected:
        sources = sorted(s for s, nexts in expected.items() if new in nexts)
        if not sources:  # nothing may become it (a first state): no UPDATE can be built
            with pytest.raises(InvalidTransition):
                table.update(model.status, enum(new))
            continue
        sql = str(table.update(model.status, enum(new)).compile(
            dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
        assert f"SET status='{new}'" in sql
        assert "WHERE " + f"{model.__tablename__}.status IN ({', '.join(repr(s) for s in sources)})" \
            in sql.replace('"', "'")
        for bad in (s for s in expected if s not in sources):
            with pytest.raises(InvalidTransition):
                table.update(model.status, enum(new), from_=bad)


def test_a_named_from_state_narrows_the_where_clause():
    sql = str(JOB_MOVES.update(PrintJob.status, JobStatus.QUEUED, from_=JobStatus.PRINTING)
              .compile(compile_kwargs={"literal_binds": True}))
    assert "print_jobs.status IN ('printing')" in sql


def test_the_refusal_names_the_thing_and_both_states():
    with pytest.raises(InvalidTransition, match="Order XS-1 is shipped and cannot become open"):
        ORDER_MOVES.move(SimpleNamespace(status="shipped"), OrderStatus.OPEN, name="XS-1")


def test_order_transition_goes_through_the_table():
    order = Order(number="XS-1", status=OrderStatus.SETTLED)
    order.transition(OrderStatus.PACKED)
    assert order.status == "packed"
    with pytest.raises(InvalidTransition):
        order.transition(OrderStatus.OPEN)


# --- code lists --------------------------------------------------------------------------

def test_codes_are_their_stored_strings():
    assert Carrier.SF_EXPRESS == "sf_express" and Carrier("sf_express") is Carrier.SF_EXPRESS
    assert f"{Carrier.SF_EXPRESS}" == str(Carrier.SF_EXPRESS) == "sf_express"
    assert CARRIERS == ("china_railway_express", "sf_express", "sto_express", "road_freight",
                        "self_pickup")
    assert all(type(c) is str for c in CARRIERS)  # plain strings for click, WTForms, SQL
    assert {"sf_express": 1}[Carrier.SF_EXPRESS] == 1
    assert carrier_name("sf_express") == "顺丰" and carrier_name("sf_express", "en") == "SF Express"
    assert carrier_name("unknown") == "unknown"


def test_one_of_validates_like_literal_from_the_one_list():
    from typing import Annotated

    class Body(BaseModel):
        carrier: Annotated[str, OneOf(Carrier)]
        preferred: Annotated[str, OneOf(Carrier, "")] = ""

    assert Body(carrier="sto_express").carrier == "sto_express"
    assert Body(carrier="sf_express", preferred="").preferred == ""
    with pytest.raises(ValidationError) as caught:
        Body(carrier="dhl")
    assert caught.value.errors()[0]["type"] == "literal_error"
    schema = Body.model_json_schema()["properties"]["carrier"]
    assert schema["enum"] == list(CARRIERS) and schema["type"] == "string"
