"""The snapshot of a complaint report (投诉处理单) as printed: every gate's who/when/what
from the step log (so a reopened complaint shows each round), local times, the phone
masked (SPEC §12), the customer's signature as base64 PNG."""
from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any

from flask import current_app

from showroom.attachments.models import Attachment
from showroom.auth.models import Staff
from showroom.clock import local
from showroom.complaints.models import Complaint
from showroom.extensions import db
from showroom.privacy import mask_phone
from showroom.settlement.documents import customer_party, now_local


def _at(dt: datetime | None) -> str:
    return local(dt, current_app.config["SHOWROOM_TIMEZONE"]).strftime("%Y-%m-%d %H:%M") \
        if dt else ""


def _who(staff_id: int | None) -> str:
    s = db.session.get(Staff, staff_id) if staff_id else None
    return f"{s.staff_no} {s.name}" if s is not None else ""


def _what(step: str, data: dict[str, Any]) -> str:
    if step == "judge":
        verdict = "成立" if data.get("stands") else "不成立"
        return f"{verdict}：{data.get('explanation', '')}"
    if step == "investigate":
        return f"{data.get('department', '')}：{data.get('finding', '')}"
    if step == "approve":
        return ("同意" if data.get("approved") else "退回") + \
            (f"：{data['note']}" if data.get("note") else "")
    if step == "implement":
        parts = [str(data.get("note") or "")]
        if data.get("return_id"):
            from showroom.aftersales.models import AfterSalesDoc

            doc = db.session.get(AfterSalesDoc, data["return_id"])
            parts.append(doc.number if doc else "")
        if data.get("repair_id"):
            from showroom.repairs.models import Repair

            rep = db.session.get(Repair, data["repair_id"])
            parts.append(rep.number if rep else "")
        return " ".join(p for p in parts if p)
    if step == "accept":
        return "客户签名" if data.get("acceptance") == "signature" else "电话确认"
    if step == "feedback":
        return f"{data.get('rating', '')}/5 {data.get('comment', '')}".strip()
    return str(data.get("solution") or data.get("reason") or "")


def report_payload(c: Complaint) -> dict[str, Any]:
    if c.customer is not None:
        party = customer_party(c.customer)
    else:
        party = {"code": "", "name": c.caller, "kind": "", "phone_masked": mask_phone(c.phone),
                 "address": ""}
    signature = ""
    if c.signature_id:
        row = db.session.get(Attachment, c.signature_id)
        if row is not None:
            signature = base64.b64encode(row.data).decode("ascii")
    gates = [{"step": s.step, "who": _who(s.staff_id), "at": _at(s.created_at),
              "what": _what(s.step, json.loads(s.data or "{}"))} for s in c.steps]
    return {"number": c.number, "printed_at": now_local(), "customer": party,
            "channel": c.channel, "category": c.category, "status": c.status, "text": c.text,
            "recorded_at": _at(c.recorded_at), "recorded_by": _who(c.recorded_by_id),
            "first_response_due": _at(c.first_response_due),
            "first_response_at": _at(c.first_response_at), "gates": gates,
            "acceptance": c.acceptance, "signature_png": signature,
            "rating": str(c.rating or ""), "reopen_count": c.reopen_count or 0}
