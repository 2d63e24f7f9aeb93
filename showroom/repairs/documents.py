"""Snapshots of the repair printouts stored on their print jobs: the intake receipt
(three copies: customer, workshop, file; a QR of the repair number), the bag label, and
the hand-over list of a batch going abroad. Weights as printed ("12.35 g"), local times,
the phone masked (SPEC §12)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from showroom.auth.models import Staff
from showroom.customers.models import Customer
from showroom.settlement.documents import customer_party, now_local

COPIES = ["客户联", "工坊联", "存根联"]


def grams(cg: int | None) -> str:
    """Centigrams as grams with two decimals ("12.35"), "" when not weighed."""
    if cg is None:
        return ""
    return f"{cg // 100}.{cg % 100:02d}"


def _who(staff: Staff | None) -> str:
    return f"{staff.staff_no} {staff.name}" if staff is not None else ""


def receipt_payload(repair: Any, customer: Customer, staff: Staff | None,
                    photos: int) -> dict[str, Any]:
    return {"number": repair.number, "printed_at": now_local(),
            "customer": customer_party(customer), "product_code": repair.product_code,
            "description": repair.description, "part": repair.part,
            "material": repair.material, "weight": grams(repair.weight_in_cg),
            "photos": photos, "received_by": _who(staff), "copies": COPIES}


def bag_label_payload(repair: Any, customer: Customer) -> dict[str, Any]:
    return {"number": repair.number, "printed_at": now_local(),
            "customer": customer_party(customer), "part": repair.part,
            "material": repair.material, "weight": grams(repair.weight_in_cg)}


def handover_payload(batch: str, repairs: Sequence[Any], partner: str, manager: Staff,
                     carrier: Staff | None) -> dict[str, Any]:
    first = repairs[0]
    return {"number": batch, "printed_at": now_local(), "partner": partner,
            "manager": _who(manager), "carrier": _who(carrier),
            "expected_from": first.expected_back_from.isoformat()
            if first.expected_back_from else "",
            "expected_to": first.expected_back_to.isoformat() if first.expected_back_to else "",
            "lines": [{"number": r.number, "customer": r.customer.name,
                       "description": r.description[:60], "part": r.part,
                       "material": r.material, "weight": grams(r.weight_in_cg)}
                      for r in repairs]}
