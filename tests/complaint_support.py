"""Builders for the complaint tests: a world of staff (reception, two clerks, two managers)
and a customer, a complaint walked to any status through the real services, a linked
exchange document, and the counts that must not move when a step is refused."""
from __future__ import annotations

import base64
import itertools
from datetime import UTC, datetime
from typing import Any

import factories
from sqlalchemy import func, select

from showroom.aftersales.models import AfterSalesDoc
from showroom.attachments.models import Attachment
from showroom.clock import set_now
from showroom.complaints.models import Complaint, ComplaintStepLog
from showroom.complaints.services import record_complaint, take_step
from showroom.extensions import db
from showroom.followups.models import FollowUp

_docs = itertools.count(1)
MONDAY_10 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 23 Nov 2026, 10:00 Shanghai

#: status name → the steps (with data) that lead there from recorded, and who takes them
PATHS: dict[str, list[tuple[str, dict[str, Any], str]]] = {}


def sig_b64() -> str:
    return base64.b64encode(factories.signature_png()).decode("ascii")


_JUDGE = ("judge", {"stands": True, "explanation": "确有质量问题"}, "manager")
_INV = ("investigate", {"department": "品控部", "finding": "电镀层过薄"}, "clerk")
_PROP = ("propose", {"solution": "换货"}, "clerk")
_APPR = ("approve", {"approved": True, "note": "同意"}, "manager2")
_IMPL = ("implement", {"note": "已换货"}, "cashier")
_ACC = ("accept", {"customer_confirmed": True}, "reception")
_FB = ("feedback", {"rating": 5, "comment": "满意"}, "reception")
PATHS["recorded"] = []
PATHS["judged"] = [_JUDGE]
PATHS["judged_not"] = [("judge", {"stands": False, "explanation": "属正常磨损，已解释"},
                        "manager")]
PATHS["investigated"] = [_JUDGE, _INV]
PATHS["proposed"] = [_JUDGE, _INV, _PROP]
PATHS["approved"] = [_JUDGE, _INV, _PROP, _APPR]
PATHS["implemented"] = [_JUDGE, _INV, _PROP, _APPR, _IMPL]
PATHS["accepted"] = [_JUDGE, _INV, _PROP, _APPR, _IMPL, _ACC]
PATHS["closed"] = [_JUDGE, _INV, _PROP, _APPR, _IMPL, _ACC, _FB]

#: every step with valid data (so only the gate can refuse it)
STEP_DATA: dict[str, dict[str, Any]] = {
    "judge": _JUDGE[1], "investigate": _INV[1], "propose": _PROP[1], "approve": _APPR[1],
    "implement": _IMPL[1], "accept": _ACC[1], "feedback": _FB[1],
    "reopen": {"reason": "客户再次来电"},
}


def world() -> dict[str, Any]:
    set_now(MONDAY_10)
    w = {"reception": factories.staff("reception"), "clerk": factories.staff("clerk"),
         "cashier": factories.staff("cashier"), "manager": factories.staff("manager"),
         "manager2": factories.staff("manager"), "customer": factories.customer(name="王丽华饰品店")}
    db.session.commit()
    return w


def new_complaint(w: dict[str, Any], **over: Any) -> Complaint:
    kw: dict[str, Any] = {"customer_id": w["customer"].id, "channel": "phone",
                          "category": "quality", "text": "项链掉色", "staff_id": w["reception"].id}
    kw.update(over)
    return record_complaint(**kw)


def walk(w: dict[str, Any], status: str, **over: Any) -> Complaint:
    c = new_complaint(w, **over)
    for step, data, who in PATHS[status]:
        take_step(c.id, step, data, staff=w[who])
    db.session.commit()
    return c


def exchange_doc(customer_id: int) -> AfterSalesDoc:
    """A bare exchange document of this customer (its own flow is aftersales' tests')."""
    doc = AfterSalesDoc(number=f"HH-T-{customer_id}-{next(_docs)}",
                        kind="exchange", customer_id=customer_id, reason="quality",
                        rule="quality_exchange", allowed=True)
    db.session.add(doc)
    db.session.flush()
    return doc


def snapshot(c: Complaint) -> tuple[Any, ...]:
    """What a refused step must leave exactly as it was."""
    db.session.expire_all()
    row = db.session.get(Complaint, c.id)
    assert row is not None
    return (row.status, row.version, row.first_response_at, row.reopen_count, row.rating,
            row.signature_id,
            db.session.scalar(select(func.count()).select_from(ComplaintStepLog)),
            db.session.scalar(select(func.count()).select_from(Attachment)),
            db.session.scalar(select(func.count()).select_from(FollowUp)))
