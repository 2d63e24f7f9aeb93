"""Taking a photo in: size, type and pixel limits checked before anything decodes it,
then decoded once and re-encoded, so what we store and serve is an image we made.

Order of checks (each a ValidationFailed with a message for the person holding the
tablet): empty → too large (bytes) → not JPEG/PNG by its first bytes → the header's
width × height over the pixel limit (read by our own few lines, then by Pillow's header
with its decompression-bomb guard) → decode → re-encode (EXIF orientation applied, the
rest of the metadata, GPS included, dropped; long side at most MAX_SIDE px).
"""
from __future__ import annotations

import hashlib
import io
import struct
import warnings
from dataclasses import dataclass

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select

from showroom.attachments.models import Attachment
from showroom.errors import Problem, ValidationFailed
from showroom.extensions import db

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 2048
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    media_type: str
    width: int
    height: int


def _refuse(code: str, message: str, field: str = "photo") -> ValidationFailed:
    return ValidationFailed(message, errors={field: Problem(code, message)})


def header_size(data: bytes) -> tuple[str, int, int] | None:
    """(kind, width, height) read from a PNG's IHDR or a JPEG's SOF marker, without
    decoding anything; None when the bytes are neither."""
    if data.startswith(PNG_MAGIC) and len(data) >= 24 and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return "png", width, height
    if data.startswith(JPEG_MAGIC):
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                return None
            marker = data[i + 1]
            if marker == 0xFF:  # fill byte
                i += 1
                continue
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                i += 2
                continue
            length = struct.unpack(">H", data[i + 2:i + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[i + 5:i + 9])
                return "jpeg", width, height
            i += 2 + length
        return None
    return None


def clean_image(data: bytes, *, field: str = "photo") -> CleanImage:
    """The photo re-encoded by us, or a refusal that says why; nothing decoded before the
    byte and pixel limits passed."""
    if not data:
        raise _refuse("empty", _("The photo is empty (0 bytes): take it again."), field)
    if len(data) > MAX_BYTES:
        raise _refuse("too-large", _("The photo is larger than %(mib)s MiB: take it at a lower "
                                     "resolution.", mib=MAX_BYTES // (1024 * 1024)), field)
    head = header_size(data)
    if head is None:
        raise _refuse("not-image", _("This file is not a JPEG or PNG photo."), field)
    kind, width, height = head
    if width <= 0 or height <= 0 or width * height > MAX_PIXELS:
        raise _refuse("too-many-pixels", _(
            "The photo is %(w)s × %(h)s pixels, more than %(mp)s megapixels: take it at a "
            "lower resolution.", w=width, h=height, mp=MAX_PIXELS // 1_000_000), field)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ("JPEG", "PNG") or \
                        probe.width * probe.height > MAX_PIXELS:
                    raise _refuse("not-image", _("This file is not a JPEG or PNG photo."), field)
                probe.load()
                image = ImageOps.exif_transpose(probe)
                fmt = probe.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error,
            Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse("broken-image", _("The photo could not be read (damaged or cut off): "
                                        "take it again."), field) from None
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    if fmt == "PNG":
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=True)
        media = "image/png"
    else:
        image.convert("RGB").save(out, "JPEG", quality=85)
        media = "image/jpeg"
    del kind
    return CleanImage(out.getvalue(), media, image.width, image.height)


def store_photo(owner_type: str, owner_id: int, data: bytes, *, staff_id: int | None,
                field: str = "photo") -> Attachment:
    """Check, re-encode and keep one photo for its owner (flushes)."""
    img = clean_image(data, field=field)
    row = Attachment(owner_type=owner_type, owner_id=owner_id, media_type=img.media_type,
                     size=len(img.data), width=img.width, height=img.height,
                     sha256=hashlib.sha256(img.data).hexdigest(), data=img.data,
                     staff_id=staff_id)
    db.session.add(row)
    db.session.flush()
    return row


def attachments_of(owner_type: str, owner_id: int) -> list[Attachment]:
    return list(db.session.scalars(select(Attachment).where(
        Attachment.owner_type == owner_type, Attachment.owner_id == owner_id)
        .order_by(Attachment.id)))
