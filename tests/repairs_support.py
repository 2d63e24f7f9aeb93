"""Pictures and counts for the repair tests: real small JPEG/PNG photos, and the bad ones
a tablet or a client may send (empty, not an image, cut off, too many bytes, a header
claiming far too many pixels)."""
from __future__ import annotations

import io
import struct
import zlib
from typing import Any

from PIL import Image
from sqlalchemy import func, select

from showroom.attachments.models import Attachment
from showroom.attachments.services import MAX_BYTES
from showroom.extensions import db
from showroom.followups.models import FollowUp
from showroom.printjobs.models import PrintJob
from showroom.repairs.models import Custody, Repair


def jpeg(width: int = 64, height: int = 48, color: tuple[int, int, int] = (200, 30, 30),
         exif: bytes | None = None) -> bytes:
    buf = io.BytesIO()
    img = Image.new("RGB", (width, height), color)
    if exif is not None:
        img.save(buf, "JPEG", exif=exif)
    else:
        img.save(buf, "JPEG")
    return buf.getvalue()


def png(width: int = 40, height: int = 30) -> bytes:
    buf = io.BytesIO()
    Image.new("RGBA", (width, height), (0, 120, 200, 255)).save(buf, "PNG")
    return buf.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A PNG whose header claims width × height pixels (a few hundred bytes of data)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = zlib.compress(b"\0" * 1024)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def jpeg_claiming(width: int, height: int) -> bytes:
    """A real JPEG with its SOF marker patched to claim another size."""
    data = bytearray(jpeg())
    i = 2
    while i < len(data):
        marker = data[i + 1]
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if 0xC0 <= marker <= 0xC3:
            data[i + 5:i + 9] = struct.pack(">HH", height, width)
            return bytes(data)
        i += 2 + length
    raise AssertionError("no SOF marker")


def too_big() -> bytes:
    return jpeg() + b"\0" * MAX_BYTES


BAD_PHOTOS = {
    "empty": b"",
    "not-image": b"hello, not a picture",
    "gif": b"GIF89a" + b"\0" * 40,
    "cut-off": png()[:60],
    "too-large": None,  # too_big(), built on demand (5 MiB)
    "bomb": None,  # png_bomb()
    "jpeg-claims-60mp": None,  # jpeg_claiming(10_000, 6_000)
}
BAD_CODES = {"empty": "empty", "not-image": "not-image", "gif": "not-image",
             "cut-off": "broken-image", "too-large": "too-large", "bomb": "too-many-pixels",
             "jpeg-claims-60mp": "too-many-pixels"}


def bad_photo(name: str) -> bytes:
    if name == "too-large":
        return too_big()
    if name == "bomb":
        return png_bomb()
    if name == "jpeg-claims-60mp":
        return jpeg_claiming(10_000, 6_000)
    data = BAD_PHOTOS[name]
    assert data is not None
    return data


def counts(app: Any = None) -> dict[str, int]:
    """Rows of everything a repair writes."""
    def _count() -> dict[str, int]:
        out = {m.__tablename__: db.session.scalar(select(func.count()).select_from(m))
               for m in (Repair, Custody, Attachment, FollowUp, PrintJob)}
        return out
    if app is None:
        return _count()
    with app.app_context():
        out = _count()
        db.session.rollback()
        return out
