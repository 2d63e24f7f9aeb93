"""The remit notice (汇款通知) as a print job: a snapshot of the amount to remit, its
breakdown and the bank accounts, queued at the station's printer in the caller's
transaction (never printed inside the request)."""
from __future__ import annotations

from typing import Any

from showroom.auth.models import Staff
from showroom.customers.models import Customer
from showroom.extensions import db
from showroom.money import fen_str
from showroom.printjobs.services import queue_job
from showroom.remote.remit import Remittance, bank_accounts, remittance
from showroom.settlement.documents import customer_party, now_local
from showroom.shipping.carriers import Carrier


def notice_payload(rem: Remittance, customer: Customer, staff: Staff | None) -> dict[str, Any]:
    carrier = rem.order.remit_carrier
    return {"number": rem.order.number, "printed_at": now_local(),
            "customer": customer_party(customer), "order_total": fen_str(rem.order_total),
            "previous_balance": fen_str(rem.previous_balance),
            "shipping_fee": fen_str(rem.shipping_fee),
            "carrier": Carrier(carrier).notice_names["zh"] if carrier in Carrier.codes() else "",
            "amount_to_remit": fen_str(rem.amount_to_remit), "accounts": bank_accounts(),
            "staff": f"{staff.staff_no} {staff.name}" if staff is not None else ""}


def queue_remit_notice(order_id: int, *, staff_id: int | None,
                       station: str | None = None) -> dict[str, Any]:
    rem = remittance(order_id)
    customer = db.session.get(Customer, rem.order.customer_id)
    assert customer is not None
    staff = db.session.get(Staff, staff_id) if staff_id else None
    job = queue_job("remit_notice", notice_payload(rem, customer, staff), station=station,
                    order_id=rem.order.id, ref=rem.order.number, staff_id=staff_id)
    return {"job_id": job.id}
