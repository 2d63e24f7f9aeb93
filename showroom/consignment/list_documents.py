"""Snapshots of the consignment printouts stored on their print jobs: the intake or
withdrawal list (委托代销清单 / 代销退还清单) and one item label per piece.

The list carries the consignor's code and name with the phone masked (SPEC §12), each
line's product code, quantity, our wholesale and franchise prices and the consignor's
price (or their share), the totals, and the signature: the pad's PNG when signed, else
"待签字 / sent for signature".
"""
from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from typing import Any

from PIL import Image

from showroom.attachments.models import Attachment
from showroom.auth.models import Staff
from showroom.catalog.models import Product
from showroom.clock import local
from showroom.consignment.models import Consignment, ConsignmentLine, Consignor
from showroom.extensions import db
from showroom.money import fen_str
from showroom.settlement.documents import customer_party, now_local


def share_text(share_bp: int) -> str:
    """Basis points as a percentage: 8000 → "80%", 7550 → "75.5%"."""
    whole, rest = divmod(share_bp, 100)
    return f"{whole}%" if rest == 0 else f"{whole}.{rest:02d}".rstrip("0") + "%"


def _when(value: Any) -> str:
    from flask import current_app

    if value is None:
        return ""
    return local(value, current_app.config["SHOWROOM_TIMEZONE"]).strftime("%Y-%m-%d %H:%M")


SIGNATURE_SIDE = 800  # px: a photo of the signed paper shrunk for the printed list


def signature_b64(consignment: Consignment) -> str:
    """The signature as base64 PNG for the printout (documents draw PNG only): the pad's
    PNG as stored, a photo of the signed paper shrunk and turned into PNG."""
    if consignment.signature_id is None:
        return ""
    row = db.session.get(Attachment, consignment.signature_id)
    if row is None:
        return ""
    data = row.data
    if row.media_type != "image/png":
        with Image.open(io.BytesIO(data)) as image:
            image.thumbnail((SIGNATURE_SIDE, SIGNATURE_SIDE))
            out = io.BytesIO()
            image.convert("RGB").save(out, "PNG")
            data = out.getvalue()
    return base64.b64encode(data).decode("ascii")


def list_payload(consignment: Consignment, lines: Sequence[ConsignmentLine],
                 products: dict[int, Product], staff: Staff | None) -> dict[str, Any]:
    consignor: Consignor = consignment.consignor
    intake_number = ""
    if consignment.intake_id is not None:
        intake = db.session.get(Consignment, consignment.intake_id)
        intake_number = intake.number if intake is not None else ""
    rows = []
    for ln in lines:
        product = products[ln.product_id]
        rows.append({"product_code": product.code, "name": product.name, "qty": ln.qty,
                     "price_wholesale": fen_str(ln.price_wholesale),
                     "price_franchise": fen_str(ln.price_franchise),
                     "consignor_price": "" if ln.consignor_price is None
                     else fen_str(ln.consignor_price)})
    return {
        "number": consignment.number, "printed_at": now_local(), "kind": consignment.kind,
        "intake_number": intake_number, "consignor_code": consignor.code,
        "consignor": customer_party(consignor.customer), "share": share_text(consignor.share_bp),
        "lines": rows, "total_qty": sum(ln.qty for ln in lines),
        "total_wholesale": fen_str(sum(ln.qty * ln.price_wholesale for ln in lines)),
        "total_franchise": fen_str(sum(ln.qty * ln.price_franchise for ln in lines)),
        "total_consignor": fen_str(sum(ln.qty * (ln.consignor_price or 0) for ln in lines)),
        "present": consignment.consignor_present,
        "signature_state": consignment.signature_state,
        "signature_png": signature_b64(consignment),
        "signed_at": _when(consignment.signed_at), "sent_at": _when(consignment.sent_at),
        "staff": f"{staff.staff_no} {staff.name}" if staff is not None else "",
    }


def label_payload(consignor: Consignor, product: Product) -> dict[str, Any]:
    """One consigned item's label: the consignor code large, name, price, barcode."""
    return {"consignor_code": consignor.code, "code": product.code, "name": product.name,
            "price": fen_str(product.price_wholesale),
            "barcode": (product.barcode or "").strip() or product.code}
