"""The return rules of SPEC §6 (Std ch.11) as pure functions: each takes plain facts and
returns a `Verdict(allowed, rule, reasons)` whose reasons a cashier can read out to the
customer, in the screen's language. Nothing here reads the database; the services gather
the facts (under the order's lock) and the screen shows the verdict before anything moves.

- `returnable_qty`: never more than sold − already returned (not overridable).
- `wholesale_self_pickup`: wholesale goods the customer took at the showroom: no return,
  no exchange.
- `remote_exchange`: shipped wholesale goods: exchange when they differ from the order or
  on a confirmed quality problem; a refund only when quality is confirmed and no
  replacement is in stock.
- `franchise_ratio`: value returned in the contract period, this one included, ≤ ratio ×
  value bought in it — integer arithmetic, the ratio in basis points.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _

from showroom.aftersales.models import RATIO_SCALE, AfterSalesKind, AfterSalesReason, Delivery
from showroom.aftersales.models import ReturnRule as R
from showroom.customers.models import CustomerKind
from showroom.money import yuan


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    rule: str
    reasons: tuple[str, ...]
    overridable: bool = True  # a manager's PIN and reason may let a refusal through

    def as_dict(self) -> dict[str, Any]:
        return {"allowed": self.allowed, "rule": self.rule, "reasons": list(self.reasons)}


@dataclass(frozen=True)
class Asked:
    """One sale line the cashier asks to take back: what to call it, how many, how many
    are still returnable."""
    label: str
    qty: int
    returnable: int
    at_bench: bool = False  # the order is still being packed


@dataclass(frozen=True)
class Case:
    """The facts a customer-kind rule looks at."""
    customer_kind: str  # wholesale / franchise
    kind: str  # return / exchange
    reason: str  # goods_differ / quality / other
    quality_confirmed: bool
    delivery: str  # how the goods left: self_pickup / shipped / unshipped
    replacement_in_stock: bool  # exchange: every replacement on hand; return: the same item


@dataclass(frozen=True)
class Quota:
    """A franchisee's contract and what was bought and returned in its period (fen)."""
    starts_on: date
    ends_on: date
    ratio_bp: int
    purchased: int
    returned: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def limit(self) -> int:
        """The most that may be returned in the period (rounded down to the fen)."""
        return self.ratio_bp * self.purchased // RATIO_SCALE

    @property
    def headroom(self) -> int:
        return max(0, self.limit - self.returned)


RATIO_RE = re.compile(r"^(0(\.\d{1,4})?|1(\.0{1,4})?)$")


def parse_ratio(text: object) -> int | None:
    """"0.10" → 1000 basis points; None when it is not a ratio between 0 and 1 with at most
    four decimals (a percentage like "10" or "10%" is refused, not guessed)."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not RATIO_RE.match(text):
        return None
    whole, _sep, frac = text.partition(".")
    return int(whole) * RATIO_SCALE + int((frac + "0000")[:4])


def ratio_str(bp: int) -> str:
    """1000 → "0.10", 1250 → "0.125", 10000 → "1.00": exactly what was stored."""
    frac = f"{bp % RATIO_SCALE:04d}".rstrip("0").ljust(2, "0")
    return f"{bp // RATIO_SCALE}.{frac}"


def percent_str(bp: int) -> str:
    """1000 → "10%", 1250 → "12.5%"."""
    whole, rest = divmod(bp, 100)
    return f"{whole}%" if not rest else f"{whole}.{f'{rest:02d}'.rstrip('0')}%"


def returnable_qty(asked: Sequence[Asked]) -> Verdict:
    over = [a for a in asked if a.qty > a.returnable or a.at_bench]
    if over:
        return Verdict(False, R.RETURNABLE_QTY, tuple(
            _("%(line)s is still at the packing bench: cross it out (×) there instead.",
              line=a.label) if a.at_bench else
            _("%(line)s: %(asked)s asked, only %(n)s can still be returned.",
              line=a.label, asked=a.qty, n=a.returnable) for a in over), overridable=False)
    return Verdict(True, R.RETURNABLE_QTY, (_("Within what is still returnable."),))


def wholesale_self_pickup(case: Case) -> Verdict:
    return Verdict(False, R.WHOLESALE_SELF_PICKUP, (
        _("The customer took these goods at the showroom (self-pickup)."),
        _("Wholesale goods taken by the customer cannot be returned or exchanged."),))


def remote_exchange(case: Case) -> Verdict:
    exchange = case.kind == AfterSalesKind.EXCHANGE
    rule = R.REMOTE_EXCHANGE
    if case.reason == AfterSalesReason.GOODS_DIFFER:
        if not exchange:
            return Verdict(False, rule, (
                _("Goods that differ from the order are exchanged, not refunded."),
                _("Choose an exchange and scan what was ordered."),))
        if not case.replacement_in_stock:
            return Verdict(False, rule, (
                _("Exchange refused: the replacement is not in stock."),
                _("A refund is allowed only for a confirmed quality problem."),))
        return Verdict(True, rule, (_("Exchange allowed: goods differ from the order."),))
    if case.reason == AfterSalesReason.QUALITY:
        if not case.quality_confirmed:
            return Verdict(False, rule, (
                _("The quality problem is not confirmed yet."),
                _("Confirm it (by video or in hand) before an exchange or a refund."),))
        if exchange:
            if case.replacement_in_stock:
                return Verdict(True, rule, (
                    _("Exchange allowed: quality problem confirmed."),))
            return Verdict(False, rule, (
                _("Exchange refused: the replacement is not in stock."),
                _("With no replacement in stock a refund (return) is allowed instead."),))
        if case.replacement_in_stock:
            return Verdict(False, rule, (
                _("Refund refused: a replacement is in stock."),
                _("A confirmed quality problem is exchanged while a replacement is in stock."),))
        return Verdict(True, rule, (
            _("Refund allowed: quality problem confirmed and no replacement in stock."),))
    return Verdict(False, rule, (
        _("Shipped goods are exchanged only when they differ from the order or have a "
          "confirmed quality problem."),))


def franchise_ratio(quota: Quota | None, value: int, today: date) -> Verdict:
    """`value` is what this return takes back (fen); allowed while returned + value ≤
    ratio × purchased, compared as integers: (returned + value) × 10000 ≤ bp × purchased."""
    rule = R.FRANCHISE_RATIO
    if quota is None:
        return Verdict(False, rule, (
            _("No franchise contract on the customer's file."),
            _("A manager records the contract (period and return ratio) first."),))
    if not quota.starts_on <= today <= quota.ends_on:
        return Verdict(False, rule, (
            _("The franchise contract runs from %(start)s to %(end)s; today is outside it.",
              start=quota.starts_on.isoformat(), end=quota.ends_on.isoformat()),))
    after = quota.returned + value
    facts = _("Bought %(purchased)s in the contract period, returned %(returned)s so far, "
              "this return %(value)s; the limit is %(ratio)s (%(limit)s).",
              purchased=yuan(quota.purchased), returned=yuan(quota.returned),
              value=yuan(value), ratio=percent_str(quota.ratio_bp), limit=yuan(quota.limit))
    if after * RATIO_SCALE <= quota.ratio_bp * quota.purchased:
        return Verdict(True, rule, (
            _("Within the franchise return ratio: %(left)s left after this return.",
              left=yuan(quota.limit - after)), facts))
    return Verdict(False, rule, (
        _("Over the franchise return ratio by %(over)s.",
          over=yuan(max(1, after - quota.limit))), facts))


def judge(case: Case, asked: Sequence[Asked], quota: Quota | None, value: int,
          today: date) -> Verdict:
    """The verdict of the rule that decides this case: the returnable quantities first,
    then the rule of the customer's kind and of how the goods left."""
    qty = returnable_qty(asked)
    if not qty.allowed:
        return qty
    if case.customer_kind == CustomerKind.FRANCHISE:
        return franchise_ratio(quota, value, today)
    if case.delivery == Delivery.SELF_PICKUP:
        return wholesale_self_pickup(case)
    return remote_exchange(case)
