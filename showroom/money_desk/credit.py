"""Credit limits (SPEC §9.1): the most debt a customer may carry. Settling with an
on-account part that takes the customer beyond it is refused (rule `credit_limit`) unless a
manager approves with staff number + PIN + reason, recorded on the settlement.

`credit_view` gives the cashier the figures before settling; `check_credit` is the rule
settle applies under the customer's lock.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from showroom.auth.models import Staff
from showroom.customers.models import Customer
from showroom.customers.services import lock_customer
from showroom.errors import RuleRefused, ValidationFailed
from showroom.extensions import db
from showroom.money import MAX_FEN, MoneyError, parse_fen, yuan
from showroom.money_desk.approval import ManagerApproval, approving_manager


@dataclass(frozen=True)
class CreditView:
    """What the cashier sees before settling: debt now, the limit, and the debt if the
    whole order went on account."""

    debt: int  # the balance now (> 0 owed, < 0 credit held)
    limit: int | None
    after_all_on_account: int

    @property
    def over(self) -> bool:
        return self.limit is not None and self.after_all_on_account > self.limit

    @property
    def headroom(self) -> int | None:
        return None if self.limit is None else self.limit - self.debt


def credit_view(customer: Customer, order_total: int) -> CreditView:
    return CreditView(customer.balance, customer.credit_limit, customer.balance + order_total)


def parse_limit(raw: object) -> int | None:
    """A limit as typed ("" / None = no limit); full-width digits accepted."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        fen = parse_fen(raw)
    except MoneyError as exc:
        raise ValidationFailed(_("please correct the credit limit"),
                               errors={"limit": str(exc)}) from exc
    if fen > MAX_FEN:
        raise ValidationFailed(_("please correct the credit limit"),
                               errors={"limit": _("amount is too large")})
    return fen


def set_credit_limit(customer_id: int, limit: int | None) -> Customer:
    """The manager sets (or with None removes) a customer's credit limit."""
    customer = lock_customer(customer_id)
    if limit is not None and limit < 0:
        raise ValidationFailed(_("a credit limit cannot be negative"),
                               errors={"limit": _("0.00 or more")})
    customer.credit_limit = limit
    db.session.flush()
    return customer


def check_credit(customer: Customer, on_account: int, approval: ManagerApproval | None,
                 source: str) -> Staff | None:
    """None when the on-account part stays within the limit; the approving manager when it
    does not and `approval` holds; else RuleRefused("credit_limit") with the figures."""
    limit = customer.credit_limit
    after = customer.balance + on_account
    if limit is None or on_account <= 0 or after <= limit:
        return None
    if approval is None:
        reasons = [
            _("%(name)s owes %(debt)s now; the credit limit is %(limit)s.",
              name=customer.name, debt=yuan(customer.balance), limit=yuan(limit)),
            _("Putting %(amount)s on account would leave %(after)s owed, %(over)s beyond the "
              "limit.", amount=yuan(on_account), after=yuan(after), over=yuan(after - limit)),
            _("Take more now, or ask a manager to allow it with their staff number, PIN and "
              "a reason."),
        ]
        raise RuleRefused("credit_limit", reasons,
                          errors={"on_account": _("beyond the credit limit")})
    return approving_manager(approval, source)
