"""Races on the manager's inbox, on the suite's backend: two managers mark the same remark
handled at once (one wins, the other is refused, the mark names the winner), and two desks
pass the same inquiry to a manager at once (escalated once)."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import factories
import pytest

from showroom.errors import Conflict
from showroom.extensions import db
from showroom.inbox.services import mark_handled
from showroom.picking.models import Remark
from showroom.reception.inquiry_history import escalate
from showroom.reception.services import log_inquiry

pytestmark = pytest.mark.concurrency


def _race(app: Any, calls: list[Callable[[], Any]]) -> list[str]:
    barrier = threading.Barrier(len(calls))
    results: list[str] = [""] * len(calls)

    def run(i: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                calls[i]()
                db.session.commit()
                results[i] = "ok"
            except Conflict:
                db.session.rollback()
                results[i] = "conflict"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_two_managers_mark_the_same_remark(app):
    with app.app_context():
        c = factories.customer()
        a, b = factories.staff("manager"), factories.staff("manager")
        r = Remark(customer_id=c.id, kind="complaint", text="服务态度差")
        db.session.add(r)
        db.session.commit()
        rid, ids = r.id, (a.id, b.id)
    results = _race(app, [lambda i=i: mark_handled("remark", rid, staff_id=i) for i in ids])
    assert sorted(results) == ["conflict", "ok"]
    with app.app_context():
        winner = ids[results.index("ok")]
        assert db.session.get(Remark, rid).handled_by_id == winner


def test_two_desks_escalate_the_same_inquiry(app):
    with app.app_context():
        inq = log_inquiry(channel="phone", caller_name="冯先生", region="", phone="13712345678",
                          question="退货政策", reason="", staff_id=None)
        db.session.commit()
        iid = inq.id
    results = _race(app, [lambda: escalate(iid), lambda: escalate(iid)])
    assert sorted(results) == ["conflict", "ok"]
