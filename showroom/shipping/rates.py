"""The rate table the manager keeps and the quote staff read out to a customer (SPEC §4.5).

A rate is per carrier and destination: a province or city as the customer file writes
its region ("浙江", "浙江 义乌", "上海"), or "*" for anywhere else. A destination is looked
up exactly, then by its first word (the province of "浙江 义乌"), then "*".

fee = first kilogram + each further started kilogram + handling per box; all integer
fen, weights in whole grams (typed as kilograms with up to three decimals) — never a
float anywhere.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from showroom.clock import now_utc
from showroom.errors import NotFound, ValidationFailed
from showroom.extensions import db
from showroom.money import MoneyError, fen_str, parse_fen
from showroom.shipping.carriers import carrier_label, check_carrier
from showroom.shipping.models import CarrierRate
from showroom.validation import clean_text

ANYWHERE = "*"
MAX_GRAMS = 10_000_000  # ten tonnes: far beyond any shipment
MAX_BOXES = 999
MAX_DAYS = 60


@dataclass(frozen=True)
class Quote:
    fee: int  # fen
    min_days: int
    max_days: int
    rate: CarrierRate
    breakdown: str  # "¥23.00 first kg + 2 × ¥8.00 + 3 boxes × ¥2.00"


def parse_weight_g(text: object, field: str = "weight") -> int:
    """Kilograms as typed ("3.5", "0.25", "12") → whole grams; more than three decimals,
    signs, floats or zero are refused."""
    if isinstance(text, bool) or not isinstance(text, str | int):
        raise ValidationFailed(_("weight in kilograms, like 3.5"),
                               errors={field: _("kilograms, like 3.5")})
    raw = str(text).strip().lower().removesuffix("kg").strip()
    whole, _dot, frac = raw.partition(".")
    ok = (whole.isascii() and whole.isdigit() and len(whole) <= 5 and len(frac) <= 3
          and (not frac or (frac.isascii() and frac.isdigit())) and (frac or not _dot))
    grams = int(whole) * 1000 + int(frac.ljust(3, "0")) if ok and whole else 0
    if not ok or grams <= 0 or grams > MAX_GRAMS:
        raise ValidationFailed(_("weight in kilograms, like 3.5 (more than 0, at most three "
                                 "decimals)"), errors={field: _("kilograms, like 3.5")})
    return grams


def kg_text(grams: int) -> str:
    """Whole grams back to kilograms for screens: 3500 → "3.5"."""
    whole, rest = divmod(grams, 1000)
    return f"{whole}.{rest:03d}".rstrip("0").rstrip(".") if rest else str(whole)


def _int_in(value: object, field: str, low: int, high: int, errors: dict[str, str]) -> int:
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors[field] = _("a whole number from %(low)s to %(high)s", low=low, high=high)
        return low
    return value


def _money(value: object, field: str, errors: dict[str, str]) -> int:
    try:
        return parse_fen(value if value not in (None, "") else "0")
    except MoneyError as exc:
        errors[field] = str(exc)
        return 0


def clean_destination(value: object, errors: dict[str, str]) -> str:
    text = " ".join(clean_text(value, "destination", errors, 40).split())
    return text or ANYWHERE


def set_rate(*, carrier: str, destination: object = ANYWHERE, first_kg: object = "0",
             per_kg: object = "0", per_box: object = "0", min_days: object = 1,
             max_days: object = 3, note: object = "", staff_id: int | None = None
             ) -> CarrierRate:
    """Add or replace the rate for (carrier, destination). Money as yuan text ("23.00"),
    days as whole numbers. Every field's problem is reported at once."""
    errors: dict[str, str] = {}
    try:
        check_carrier(carrier)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    dest = clean_destination(destination, errors)
    fees = {f: _money(v, f, errors) for f, v in
            (("first_kg", first_kg), ("per_kg", per_kg), ("per_box", per_box))}
    low = _int_in(min_days, "min_days", 0, MAX_DAYS, errors)
    high = _int_in(max_days, "max_days", 0, MAX_DAYS, errors)
    if "min_days" not in errors and "max_days" not in errors and high < low:
        errors["max_days"] = _("at least the fewest days")
    note_text = clean_text(note, "note", errors, 200)
    if errors:
        raise ValidationFailed(_("please correct the rate"), errors=errors)
    rate = db.session.scalar(select(CarrierRate).where(
        CarrierRate.carrier == carrier, CarrierRate.destination == dest).with_for_update())
    if rate is None:
        rate = CarrierRate(carrier=carrier, destination=dest)
        db.session.add(rate)
    rate.first_kg, rate.per_kg, rate.per_box = fees["first_kg"], fees["per_kg"], fees["per_box"]
    rate.min_days, rate.max_days, rate.note = low, high, note_text
    rate.updated_by_id, rate.updated_at = staff_id, now_utc()
    db.session.flush()
    return rate


def list_rates() -> list[CarrierRate]:
    """Every rate, by carrier (in the screens' order), "*" last within a carrier."""
    from showroom.shipping.models import CARRIERS

    rows = list(db.session.scalars(select(CarrierRate)))
    return sorted(rows, key=lambda r: (CARRIERS.index(r.carrier) if r.carrier in CARRIERS
                                       else 99, r.destination == ANYWHERE, r.destination))


def delete_rate(rate_id: int) -> None:
    rate = db.session.get(CarrierRate, rate_id)
    if rate is None:
        raise NotFound(_("no rate %(id)s", id=rate_id))
    db.session.delete(rate)
    db.session.flush()


def find_rate(carrier: str, destination: str | None) -> CarrierRate | None:
    """Exact destination, then its first word (the province), then "*"."""
    dest = " ".join((destination or "").split())
    tries = [d for d in (dest, dest.split(" ")[0] if dest else "", ANYWHERE) if d]
    rows = {r.destination: r for r in db.session.scalars(select(CarrierRate).where(
        CarrierRate.carrier == carrier, CarrierRate.destination.in_(tries)))}
    return next((rows[d] for d in tries if d in rows), None)


def quote(carrier: str, destination: str | None, weight: object, boxes: object = 1) -> Quote:
    """What the carrier charges for this weight and number of boxes, and how many days."""
    errors: dict[str, str] = {}
    try:
        check_carrier(carrier)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    grams = 0
    try:
        grams = parse_weight_g(weight)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    n_boxes = _int_in(boxes, "boxes", 0 if carrier == "self_pickup" else 1, MAX_BOXES, errors)
    if errors:
        raise ValidationFailed(_("please correct the quote"), errors=errors)
    rate = find_rate(carrier, destination)
    if rate is None:
        msg = _("no rate for %(carrier)s to %(destination)s: ask the manager to add one "
                "(or a rate for \"*\", anywhere)", carrier=carrier_label(carrier),
                destination=destination or ANYWHERE)
        raise ValidationFailed(msg, errors={"destination": msg})
    extra_kg = max(0, -(-grams // 1000) - 1)  # started kilograms beyond the first
    fee = rate.first_kg + rate.per_kg * extra_kg + rate.per_box * n_boxes
    parts = [_("¥%(fee)s first kg", fee=fen_str(rate.first_kg))]
    if extra_kg:
        parts.append(_("%(n)s kg × ¥%(fee)s", n=extra_kg, fee=fen_str(rate.per_kg)))
    if rate.per_box and n_boxes:
        parts.append(_("%(n)s boxes × ¥%(fee)s", n=n_boxes, fee=fen_str(rate.per_box)))
    breakdown = " + ".join(parts) + f" = ¥{fen_str(fee)}"
    return Quote(fee=fee, min_days=rate.min_days, max_days=rate.max_days, rate=rate,
                 breakdown=breakdown)
