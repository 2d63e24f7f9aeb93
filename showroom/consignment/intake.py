"""Intake and withdrawal lists (SPEC §7, Std ch.12): the consignor's goods come onto our
floor and go back, each time on a numbered, printed, signed list.

Intake (委托代销清单, DX-…): every line becomes a product owned by the consignor — code
and barcode `pf123-001` (the consignor code's letters and number, then a running number
per consignor that is never reused) — and a stock move +qty (`consign_in`). Withdrawal
(代销退还清单, DT-…): goods of one intake list go back, a stock move −qty
(`consign_out`), never more than is on the floor (409 `consigned_on_hand`).

Signatures: the consignor present signs on the tablet (the pad's PNG, kept in the
attachments store) → `signed`; absent → `sent` with sent_at, and when the signed copy
comes back `record_returned_signature` keeps it (pad or a photo of the paper) and who
recorded it → `returned`.

Everything is checked before anything is written; the list and one label per piece are
queued in the same transaction. Services flush, the caller commits.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from showroom.attachments.models import Attachment
from showroom.attachments.services import store_photo
from showroom.auth.models import Staff
from showroom.catalog.models import Product
from showroom.catalog.services import MAX_QTY, move_stock
from showroom.clock import now_utc
from showroom.consignment.consignors import code_letters_number, find_consignor
from showroom.consignment.list_documents import label_payload, list_payload
from showroom.consignment.models import (
    Consignment,
    ConsignmentKind,
    ConsignmentLine,
    Consignor,
    SignatureState,
)
from showroom.errors import Conflict, NotFound, Problem, RuleRefused, ValidationFailed
from showroom.extensions import db
from showroom.money import MoneyError, ascii_number, parse_fen
from showroom.numbering import _bump, next_number
from showroom.packing.signoff import clean_signature_png
from showroom.printjobs.services import queue_job
from showroom.validation import clean_text

MAX_LINES = 200
MAX_PRICE = 100_000_000  # 1,000,000.00 yuan a piece: more is a typing slip
NAME_LIMIT = 120  # as a product's name
IN, OUT = "consign_in", "consign_out"  # stock move reasons


@dataclass(frozen=True)
class IntakeLine:
    name: str
    qty: int
    price_wholesale: int
    price_franchise: int
    consignor_price: int | None = None


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def clean_lines(lines: Sequence[IntakeLine]) -> list[IntakeLine]:
    """Each line checked; all problems reported together under `lines.N.field`."""
    if not lines:
        message = _("a consignment list needs at least one item")
        raise ValidationFailed(message, errors={"lines": Problem("empty", message)})
    if len(lines) > MAX_LINES:
        message = _("at most %(n)s items on one list", n=MAX_LINES)
        raise ValidationFailed(message, errors={"lines": Problem("too-many", message)})
    errors: dict[str, str] = {}
    out: list[IntakeLine] = []
    for n, line in enumerate(lines):
        at = f"lines.{n}."
        name = clean_text(line.name, at + "name", errors, NAME_LIMIT, required=True)
        if not _whole(line.qty) or line.qty <= 0:
            errors[at + "qty"] = Problem("bad-qty", _("at least 1"))
        elif line.qty > MAX_QTY:
            errors[at + "qty"] = Problem("bad-qty", _("at most %(n)s", n=MAX_QTY))
        for field in ("price_wholesale", "price_franchise", "consignor_price"):
            value = getattr(line, field)
            if value is None and field == "consignor_price":
                continue
            if not _whole(value) or value < 0:
                errors[at + field] = Problem("bad-price", _("a price of 0 or more"))
            elif value > MAX_PRICE:
                errors[at + field] = Problem("bad-price", _("the price is too large"))
        out.append(IntakeLine(name, line.qty, line.price_wholesale, line.price_franchise,
                              line.consignor_price))
    if errors:
        raise ValidationFailed(_("please correct the consignment list"), errors=errors)
    return out


def _signature(present: bool, signature_png: bytes | None) -> bytes | None:
    """Present: the pad's PNG is required and checked. Absent: no signature now."""
    if present:
        if not signature_png:
            message = _("the consignor is present: they sign on the tablet")
            raise ValidationFailed(message, errors={"signature": Problem("required", message)})
        return clean_signature_png(signature_png)
    if signature_png:
        message = _("the consignor is absent: the list is sent for signature, not signed here")
        raise ValidationFailed(message, errors={"signature": Problem("absent", message)})
    return None


def _open_list(kind: str, consignor: Consignor, *, present: bool, staff_id: int | None,
               intake_id: int | None = None) -> Consignment:
    number = next_number("consignment" if kind == ConsignmentKind.INTAKE
                         else "consignment_withdrawal")
    now = now_utc()
    consignment = Consignment(
        number=number, kind=kind, consignor_id=consignor.id, intake_id=intake_id,
        consignor_present=present,
        signature_state=SignatureState.SIGNED if present else SignatureState.SENT,
        sent_at=None if present else now, signed_at=now if present else None,
        signature_recorded_by_id=staff_id if present else None, note="", staff_id=staff_id)
    db.session.add(consignment)
    db.session.flush()
    return consignment


def _keep_signature(consignment: Consignment, png: bytes, staff_id: int | None,
                    field: str = "signature") -> None:
    row = store_photo("consignment", consignment.id, png, staff_id=staff_id, field=field)
    consignment.signature_id = row.id


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


def _next_product_code(consignor: Consignor) -> str:
    """`pf123-001`, `pf123-002` …: a counter per consignor (never reused); a code someone
    already gave another product by hand is skipped."""
    head = code_letters_number(consignor.code)
    counter = "CS" + _base36(consignor.id)  # the counter's key fits its 8 characters
    while True:
        n = _bump(counter, "-")
        code = f"{head}-{n:03d}"
        taken = db.session.scalar(select(Product.id).where(
            (Product.code == code) | (Product.barcode == code)))
        if taken is None:
            return code


def _queue_list(consignment: Consignment, products: dict[int, Product], staff_id: int | None,
                station: str | None, *, reprint: bool = False) -> None:
    handler = consignment.staff_id or staff_id  # who took the goods in (or gave them back)
    staff = db.session.get(Staff, handler) if handler else None
    db.session.refresh(consignment, ["lines"])
    job = queue_job("consignment_list",
                    list_payload(consignment, consignment.lines, products, staff),
                    station=station, ref=consignment.number, staff_id=staff_id)
    job.reprint = reprint  # printed again: 重印 / REPRINT on the paper


def take_in(consignor_id: int, lines: list[IntakeLine], *, present: bool,
            signature_png: bytes | None = None, staff_id: int | None = None,
            station: str | None = None) -> Consignment:
    """The consignor's goods come in: a numbered list, one product per line with its
    stock, the signature or "sent", the list and one label per piece queued."""
    clean = clean_lines(lines)
    png = _signature(present, signature_png)
    consignor = find_consignor(consignor_id)
    consignment = _open_list(ConsignmentKind.INTAKE, consignor, present=present,
                             staff_id=staff_id)
    if png is not None:
        _keep_signature(consignment, png, staff_id)
    products: dict[int, Product] = {}
    for line in clean:
        code = _next_product_code(consignor)
        product = Product(code=code, barcode=code, name=line.name, category="代销",
                          price_wholesale=line.price_wholesale,
                          price_franchise=line.price_franchise, on_hand=0,
                          consignor_id=consignor.id, consignor_price=line.consignor_price)
        db.session.add(product)
        db.session.flush()
        db.session.add(ConsignmentLine(
            consignment_id=consignment.id, product_id=product.id, qty=line.qty,
            price_wholesale=line.price_wholesale, price_franchise=line.price_franchise,
            consignor_price=line.consignor_price))
        move_stock(product.id, line.qty, IN, ref=consignment.number, staff_id=staff_id)
        products[product.id] = product
    db.session.flush()
    _queue_list(consignment, products, staff_id, station)
    for ln in consignment.lines:
        product = products[ln.product_id]
        queue_job("consignment_label", label_payload(consignor, product), station=station,
                  copies=ln.qty, ref=product.code, staff_id=staff_id)
    return consignment


def find_list(consignment_id: int) -> Consignment:
    consignment = db.session.get(Consignment, consignment_id)
    if consignment is None:
        raise NotFound(_("no consignment list %(id)s", id=consignment_id))
    return consignment


def _clean_withdrawal(intake: Consignment, lines: Sequence[tuple[str, int]]
                      ) -> dict[int, int]:
    """product id → pieces going back; codes must be on the intake list."""
    if not lines:
        message = _("a withdrawal needs at least one item")
        raise ValidationFailed(message, errors={"lines": Problem("empty", message)})
    if len(lines) > MAX_LINES:
        message = _("at most %(n)s items on one list", n=MAX_LINES)
        raise ValidationFailed(message, errors={"lines": Problem("too-many", message)})
    on_list = {p.code: p.id for p in db.session.scalars(select(Product).where(
        Product.id.in_([ln.product_id for ln in intake.lines])))}
    errors: dict[str, str] = {}
    wanted: dict[int, int] = {}
    for n, item in enumerate(lines):
        code, qty = (item if isinstance(item, tuple | list) and len(item) == 2 else ("", 0))
        at = f"lines.{n}."
        if not isinstance(code, str) or code.strip() not in on_list:
            errors[at + "product_code"] = Problem("not-on-list", _(
                "not an item of list %(number)s", number=intake.number))
        if not _whole(qty) or qty <= 0:
            errors[at + "qty"] = Problem("bad-qty", _("at least 1"))
        elif qty > MAX_QTY:
            errors[at + "qty"] = Problem("bad-qty", _("at most %(n)s", n=MAX_QTY))
        if at + "product_code" not in errors and at + "qty" not in errors:
            pid = on_list[code.strip()]
            wanted[pid] = wanted.get(pid, 0) + qty
    if errors:
        raise ValidationFailed(_("please correct the withdrawal"), errors=errors)
    return wanted


def _lock_products(ids: Sequence[int]) -> dict[int, Product]:
    rows = db.session.scalars(
        select(Product).where(Product.id.in_(sorted(ids))).order_by(Product.id)
        .with_for_update().execution_options(populate_existing=True))
    return {p.id: p for p in rows}


def withdraw(intake_id: int, lines: list[tuple[str, int]], *, present: bool = True,
             signature_png: bytes | None = None, staff_id: int | None = None,
             station: str | None = None) -> Consignment:
    """Goods of an intake list go back to the consignor: a numbered withdrawal list, a
    stock move −qty each, never more than on the floor (409 `consigned_on_hand`)."""
    intake = find_list(intake_id)
    if intake.kind != ConsignmentKind.INTAKE:
        message = _("%(number)s is a withdrawal list: withdraw from an intake list",
                    number=intake.number)
        raise ValidationFailed(message, errors={"intake_id": Problem("not-intake", message)})
    wanted = _clean_withdrawal(intake, lines)
    png = _signature(present, signature_png)
    products = _lock_products(list(wanted))
    short = [(products[pid], qty) for pid, qty in wanted.items() if qty > products[pid].on_hand]
    if short:
        raise RuleRefused("consigned_on_hand", [_(
            "%(code)s: %(qty)s to withdraw, %(on_hand)s on the floor", code=p.code, qty=qty,
            on_hand=p.on_hand) for p, qty in short])
    consignment = _open_list(ConsignmentKind.WITHDRAWAL, intake.consignor, present=present,
                             staff_id=staff_id, intake_id=intake.id)
    if png is not None:
        _keep_signature(consignment, png, staff_id)
    for pid, qty in wanted.items():
        product = products[pid]
        db.session.add(ConsignmentLine(
            consignment_id=consignment.id, product_id=pid, qty=qty,
            price_wholesale=product.price_wholesale, price_franchise=product.price_franchise,
            consignor_price=product.consignor_price))
        move_stock(pid, -qty, OUT, ref=consignment.number, staff_id=staff_id)
    db.session.flush()
    for product in products.values():
        db.session.refresh(product)
    _queue_list(consignment, products, staff_id, station)
    return consignment


def record_returned_signature(consignment_id: int, *, signature_png: bytes | None = None,
                              photo: bytes | None = None, staff_id: int | None = None
                              ) -> Consignment:
    """The signed copy of a list sent for signature came back: keep the signature (the
    pad's PNG, or a photo of the signed paper) and who recorded it → `returned`. Only a
    list still waiting for its signature (409 otherwise)."""
    if bool(signature_png) == bool(photo):
        message = _("give the signature from the pad or a photo of the signed list")
        raise ValidationFailed(message, errors={"signature": Problem("required", message)})
    consignment = db.session.execute(
        select(Consignment).where(Consignment.id == consignment_id).with_for_update()
        .execution_options(populate_existing=True)).scalar_one_or_none()
    if consignment is None:
        raise NotFound(_("no consignment list %(id)s", id=consignment_id))
    if consignment.signature_state != SignatureState.SENT:
        raise Conflict(_("list %(number)s is not waiting for a signature", number=consignment.number))
    if signature_png:
        _keep_signature(consignment, clean_signature_png(signature_png), staff_id)
    else:
        _keep_signature(consignment, photo or b"", staff_id, field="photo")
    consignment.signature_state = SignatureState.RETURNED
    consignment.signed_at = now_utc()
    consignment.signature_recorded_by_id = staff_id
    db.session.flush()
    return consignment


def signature_of(consignment: Consignment) -> Attachment | None:
    return db.session.get(Attachment, consignment.signature_id) if consignment.signature_id \
        else None


def _qty_of(raw: object) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str):
        text = ascii_number(raw).strip()
        if text.lstrip("-").isdigit() and len(text) <= 9:
            return int(text)
    return None


def parse_lines(raw: object, *, field: str = "lines") -> list[IntakeLine]:
    """Lines as typed on the tablet or sent to the API — `{name, qty, price_wholesale,
    price_franchise, consignor_price?}` with money as "128.00" (full-width digits too) —
    into IntakeLines; every problem reported under `lines.N.field`."""
    if not isinstance(raw, list):
        message = _("the items of the list are needed")
        raise ValidationFailed(message, errors={field: Problem("required", message)})
    errors: dict[str, str] = {}
    out: list[IntakeLine] = []
    for n, row in enumerate(raw):
        at = f"{field}.{n}."
        if not isinstance(row, dict):
            errors[f"{field}.{n}"] = Problem("not-object", _("each item is an object"))
            continue
        qty = _qty_of(row.get("qty"))
        if qty is None:
            errors[at + "qty"] = Problem("bad-qty", _("a whole number of pieces"))
        prices: dict[str, int | None] = {}
        for name in ("price_wholesale", "price_franchise", "consignor_price"):
            value = row.get(name)
            if name == "consignor_price" and (value is None or
                                              (isinstance(value, str) and not value.strip())):
                prices[name] = None
                continue
            if value is None or (isinstance(value, str) and not value.strip()):
                errors[at + name] = Problem("required", _("required"))
                continue
            try:
                prices[name] = parse_fen(value)
            except MoneyError as exc:
                errors[at + name] = Problem("bad-price", str(exc))
        name_value = row.get("name")
        out.append(IntakeLine(name_value if isinstance(name_value, str) else "",
                              qty if qty is not None else 0,
                              prices.get("price_wholesale") or 0,
                              prices.get("price_franchise") or 0,
                              prices.get("consignor_price")))
        if not isinstance(name_value, str):
            errors[at + "name"] = Problem("required", _("required"))
    if errors:
        raise ValidationFailed(_("please correct the consignment list"), errors=errors)
    return out


def _products_of(consignment: Consignment) -> dict[int, Product]:
    return {p.id: p for p in db.session.scalars(select(Product).where(
        Product.id.in_([ln.product_id for ln in consignment.lines] or [0])))}


def queue_list_again(consignment_id: int, *, staff_id: int | None = None,
                     station: str | None = None) -> Consignment:
    """The list printed again as it stands now (the signature on it once it came back)."""
    consignment = find_list(consignment_id)
    _queue_list(consignment, _products_of(consignment), staff_id, station, reprint=True)
    return consignment


def queue_labels_again(consignment_id: int, *, staff_id: int | None = None,
                       station: str | None = None) -> int:
    """An intake's labels again, one per piece still on our floor; how many."""
    consignment = find_list(consignment_id)
    if consignment.kind != ConsignmentKind.INTAKE:
        message = _("a withdrawal list has no labels")
        raise ValidationFailed(message, errors={"what": Problem("no-labels", message)})
    pieces = 0
    for product in _products_of(consignment).values():
        if product.on_hand > 0:
            job = queue_job("consignment_label", label_payload(consignment.consignor, product),
                            station=station, copies=product.on_hand, ref=product.code,
                            staff_id=staff_id)
            job.reprint = True
            pieces += product.on_hand
    if not pieces:
        message = _("none of these goods is on our floor any more")
        raise ValidationFailed(message, errors={"what": Problem("none-left", message)})
    return pieces
