"""Last contact of customers, derived from what happened (SPEC §8): the latest of visit,
settled order, payment, shipment, repair, follow-up done and inquiry; one query for a page
of customers however many there are, and nothing for a customer with no contact."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import factories
from sqlalchemy import event

from showroom.clock import set_now
from showroom.customers.contact import last_contact, last_contacts
from showroom.extensions import db
from showroom.followups.models import FollowUpKind
from showroom.followups.services import mark_done, open_followup
from showroom.money_desk.services import DeskPaymentIn, take_payment
from showroom.reception.models import Inquiry
from showroom.reception.services import start_visit

T0 = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


def _at(hours: int) -> datetime:
    t = T0 + timedelta(hours=hours)
    set_now(t)
    return t


def test_the_latest_event_of_each_kind_wins(ctx):
    a, b, c = factories.customer(), factories.customer(), factories.customer()
    prod = factories.product()
    _at(0)
    start_visit(a.id)
    t_visit_b = _at(1)
    start_visit(b.id)
    assert last_contacts([a.id, b.id, c.id]) == {a.id: T0, b.id: t_visit_b, c.id: None}
    t_order = _at(5)
    factories.settled_order(a.id, [(prod, 1)])
    assert last_contact(a.id) is not None and last_contact(a.id)[0] == t_order  # type: ignore[index]
    t_pay = _at(9)
    take_payment(b.id, DeskPaymentIn("cash", 5000, tendered=5000), staff_id=None)
    assert last_contact(b.id) == (t_pay, "payment")
    staff = factories.staff("reception")
    f = open_followup(FollowUpKind.REPAIR_CALLBACK, customer_id=a.id, source_type="test",
                      source_id=1, due_at=T0)
    t_done = _at(20)
    mark_done(f.id, "satisfied", "", staff=staff)
    t_inq = _at(30)
    db.session.add(Inquiry(caller_name="王", phone=c.phone, question="价格", customer_id=c.id,
                           created_at=t_inq, callback_due_at=t_inq + timedelta(hours=24)))
    db.session.flush()
    assert last_contacts([a.id, b.id, c.id]) == {a.id: t_done, b.id: t_pay, c.id: t_inq}
    assert last_contact(a.id) == (t_done, "followup")
    assert last_contacts([]) == {}


def test_one_query_for_a_page_of_customers(app, ctx):
    customers = [factories.customer() for _ in range(30)]
    for i, cust in enumerate(customers):
        _at(i)
        start_visit(cust.id)
    db.session.flush()
    seen: list[str] = []

    def count(_c, _cur, statement, *_a):  # noqa: ANN001, ANN202
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        few = last_contacts([c.id for c in customers[:2]])
        n_few = len(seen)
        seen.clear()
        many = last_contacts([c.id for c in customers])
        n_many = len(seen)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert n_few == n_many == 1
    assert len(few) == 2 and all(v is not None for v in many.values())
    assert many[customers[-1].id] == T0 + timedelta(hours=29)


def test_the_customer_list_costs_the_same_queries_for_5_or_40_customers(app, client,
                                                                         login_as):
    login_as("reception")

    def cost(n: int) -> int:
        with app.app_context():
            for _ in range(n):
                start_visit(factories.customer().id)
            db.session.commit()
            engine = db.engine
        seen: list[str] = []

        def count(_c, _cur, statement, *_a):  # noqa: ANN001, ANN202
            seen.append(statement)

        event.listen(engine, "before_cursor_execute", count)
        try:
            page = client.get("/customers/").get_data(as_text=True)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert page.count('class="last-contact"') >= min(n, 20)
        return len(seen)

    assert cost(5) == cost(35)
