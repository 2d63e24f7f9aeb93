"""Serving a stored photo to staff whose role may see what it belongs to: always with the
media type we wrote when we re-encoded it (never one a client sent), nosniff, inline,
never cached (security.py adds no-store)."""
from __future__ import annotations

from flask import abort
from flask_login import current_user
from werkzeug.wrappers import Response

from showroom.attachments.models import Attachment
from showroom.auth.access import roles_required
from showroom.extensions import db

#: owner type → the roles that may see its photos (the manager passes every check)
VIEWERS: dict[str, tuple[str, ...]] = {
    "repair": ("reception", "clerk", "cashier"),
    "consignment": ("reception",),  # a consignor's signature on a list
}
SAFE_TYPES = {"image/jpeg": "jpg", "image/png": "png"}


@roles_required("reception", "clerk", "cashier", "packer", "shipper")
def photo(attachment_id: int) -> Response:
    row = db.session.get(Attachment, attachment_id)
    if row is None or row.media_type not in SAFE_TYPES:
        abort(404)
    roles = VIEWERS.get(row.owner_type)
    if roles is None or not current_user.has_role(*roles):
        abort(403)
    resp = Response(row.data, mimetype=row.media_type)
    resp.headers["Content-Disposition"] = (
        f'inline; filename="photo-{row.id}.{SAFE_TYPES[row.media_type]}"')
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return resp
