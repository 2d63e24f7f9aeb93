"""The amount to remit (应汇款金额, SPEC §5) and the wait for the money before packing.

amount_to_remit = this order + the customer's balance before it (debt positive, credit
negative) + the quoted freight. A remote order (video, phone, online) settled with a part
on account while the customer then owes something waits (`remit_status=awaiting`) and the
packing bench does not offer it; a payment on account at the money desk that brings the
customer's balance to zero or below marks every waiting order of theirs `received` in the
same transaction; a manager may release one anyway (PIN + reason). The status moves only
through REMIT_MOVES. Services flush, never commit.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from showroom.clock import now_utc
from showroom.customers.models import Customer, LedgerEntry
from showroom.errors import NotFound, ValidationFailed
from showroom.extensions import db
from showroom.money import MoneyError, fen_str, parse_fen
from showroom.money_desk.approval import ManagerApproval, approving_manager
from showroom.orders.models import SETTLED, Channel, Order
from showroom.remote.codes import REMIT_MOVES, RemitStatus
from showroom.validation import clean_text

REMOTE_CHANNELS = (Channel.VIDEO, Channel.PHONE, Channel.ONLINE)
GRAMS_PER_PIECE = 20  # the weight estimate offered for the freight quote (silver pieces)


def _move(order: Order, new: RemitStatus) -> None:
    REMIT_MOVES.check(order.remit_status, new, name=order.number)
    order.remit_status = new


def bank_accounts() -> list[dict[str, str]]:
    """SHOWROOM_BANK_ACCOUNTS: "bank | name | number" entries separated by ";"."""
    raw = str(current_app.config.get("SHOWROOM_BANK_ACCOUNTS") or "")
    out = []
    for item in raw.split(";"):
        parts = [p.strip() for p in item.split("|")]
        if not any(parts):
            continue
        parts += [""] * (3 - len(parts))
        out.append({"bank": parts[0], "name": parts[1], "number": parts[2]})
    return out


@dataclass(frozen=True)
class Remittance:
    order: Order
    order_total: int
    previous_balance: int
    shipping_fee: int
    current_balance: int

    @property
    def amount_to_remit(self) -> int:
        return remit_amount(self.order_total, self.previous_balance, self.shipping_fee)

    @property
    def still_short(self) -> int:
        """What the customer still has to send: what they owe now plus the freight (never
        below zero)."""
        return max(0, self.current_balance + self.shipping_fee)

    def as_api(self) -> dict[str, Any]:
        return {"order_id": self.order.id, "number": self.order.number,
                "order_total": fen_str(self.order_total),
                "previous_balance": fen_str(self.previous_balance),
                "shipping_fee": fen_str(self.shipping_fee),
                "amount_to_remit": fen_str(self.amount_to_remit),
                "bank_accounts": bank_accounts(), "remit_status": self.order.remit_status,
                "still_short": fen_str(self.still_short), "carrier": self.order.remit_carrier}


def remit_amount(order_total: int, previous_balance: int, shipping_fee: int) -> int:
    """This order + previous debt − previous credit + freight, to the fen."""
    return order_total + previous_balance + shipping_fee


def previous_balance(order: Order, customer: Customer) -> int:
    """The balance before this order's sale entry; the current balance if not settled."""
    entry = db.session.scalar(
        select(LedgerEntry).where(LedgerEntry.customer_id == order.customer_id,
                                  LedgerEntry.kind == "sale", LedgerEntry.ref == order.number)
        .order_by(LedgerEntry.id).limit(1))
    if entry is None:
        return customer.balance
    return entry.balance_after - entry.amount


def remittance(order_id: int) -> Remittance:
    order = db.session.get(Order, order_id)
    if order is None:
        raise NotFound(_("no order %(id)s", id=order_id))
    customer = db.session.get(Customer, order.customer_id)
    assert customer is not None
    db.session.refresh(customer)
    return Remittance(order, order.total, previous_balance(order, customer),
                      order.shipping_fee or 0, customer.balance)


def weight_estimate_g(order_id: int) -> int:
    from showroom.orders.services import pieces

    return max(1, pieces(order_id)) * GRAMS_PER_PIECE


def set_shipping_fee(order_id: int, *, carrier: object, fee: object = None,
                     weight: object = None, boxes: object = 1) -> Order:
    """Store the freight told to the customer: typed (`fee`) or quoted from the rate table
    for the carrier, the customer's region and the weight estimate."""
    from showroom.orders.services import lock_order
    from showroom.shipping.carriers import check_carrier
    from showroom.shipping.rates import quote

    order = lock_order(order_id)
    errors: dict[str, str] = {}
    carrier_code = carrier if isinstance(carrier, str) else ""
    try:
        check_carrier(carrier_code)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    typed = fee.strip() if isinstance(fee, str) else fee
    fen = 0
    if typed not in (None, ""):
        try:
            fen = parse_fen(typed)
        except MoneyError as exc:
            errors["fee"] = str(exc)
    if errors:
        raise ValidationFailed(_("please correct the freight"), errors=errors)
    if typed in (None, ""):
        customer = db.session.get(Customer, order.customer_id)
        region = customer.region if customer else ""
        grams = weight if weight not in (None, "") else f"{weight_estimate_g(order.id) / 1000:.3f}"
        fen = quote(carrier_code, region, grams, boxes).fee
    order.remit_carrier = carrier_code
    order.shipping_fee = fen
    order.version += 1
    db.session.flush()
    return order


# --- the wait ---------------------------------------------------------------------

def on_settled(order: Order, on_account: int, balance_after: int) -> None:
    """Called by settlement inside its transaction: a remote order left (partly) on account
    while the customer owes waits for the remittance."""
    if order.channel in REMOTE_CHANNELS and on_account > 0 and balance_after > 0:
        _move(order, RemitStatus.AWAITING)
        order.remit_requested_at = now_utc()


def on_payment(customer_id: int, payment_id: int, balance_after: int) -> list[Order]:
    """Called by the money desk inside its transaction: once the balance is ≤ 0, every
    waiting order of the customer is received (with the payment that did it)."""
    if balance_after > 0:
        return []
    waiting = list(db.session.scalars(
        select(Order).where(Order.customer_id == customer_id,
                            Order.remit_status == RemitStatus.AWAITING)
        .order_by(Order.id).with_for_update()))
    at = now_utc()
    for order in waiting:
        _move(order, RemitStatus.RECEIVED)
        order.remit_received_at = at
        order.remit_payment_id = payment_id
        order.version += 1
    db.session.flush()
    return waiting


def release(order_id: int, approval: ManagerApproval, *, staff_id: int | None) -> Order:
    """A manager lets a waiting order go to packing before the money is in (PIN + reason,
    recorded in remit_note)."""
    from showroom.orders.services import lock_order

    order = lock_order(order_id)
    errors: dict[str, str] = {}
    reason = clean_text(approval.reason, "reason", errors, 200, required=True)
    if errors:
        raise ValidationFailed(_("give a reason"), errors=errors)
    REMIT_MOVES.check(order.remit_status, RemitStatus.RELEASED, name=order.number)
    manager = approving_manager(approval, f"remit-release:{order.number}")
    _move(order, RemitStatus.RELEASED)
    order.remit_received_at = now_utc()
    order.remit_note = _("released by %(name)s (%(no)s): %(reason)s", name=manager.name,
                         no=manager.staff_no, reason=reason)
    order.version += 1
    db.session.flush()
    return order


def waiting_for(order: Order) -> bool:
    return order.status == SETTLED and order.remit_status == RemitStatus.AWAITING


def message_text(rem: Remittance, shop: str) -> str:
    """The ready WeChat message (always Chinese: it goes to the customer): order number,
    the breakdown, the amount to remit and the accounts."""
    from showroom.shipping.carriers import Carrier

    lines = [f"【{shop}】您好！您的订单 {rem.order.number}：",
             f"本单货款：¥{fen_str(rem.order_total)}"]
    if rem.previous_balance > 0:
        lines.append(f"上次欠款：¥{fen_str(rem.previous_balance)}")
    elif rem.previous_balance < 0:
        lines.append(f"上次余款抵扣：-¥{fen_str(-rem.previous_balance)}")
    if rem.shipping_fee:
        carrier = rem.order.remit_carrier
        name = Carrier(carrier).notice_names["zh"] if carrier in Carrier.codes() else ""
        lines.append(f"运费{f'（{name}）' if name else ''}：¥{fen_str(rem.shipping_fee)}")
    lines.append(f"应汇款金额：¥{fen_str(rem.amount_to_remit)}")
    accounts = bank_accounts()
    if accounts:
        lines.append("请汇款至：")
        lines += [f"{a['bank']}  户名：{a['name']}  账号：{a['number']}" for a in accounts]
    lines.append("汇款后请告知我们，款项到账后即安排发货。谢谢！")
    return "\n".join(lines)
