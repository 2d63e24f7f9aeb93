"""The customer's signature from the tablet's signature pad, as documents carry it: a PNG
in base64 (a canvas's `data:image/png;base64,…` URL is accepted too).

Anything that is not a readable PNG of sane size counts as no signature, so a damaged
snapshot leaves the signature line blank instead of stopping the printer. The PDF draws
the picture flattened onto white (a pad's PNG is transparent ink); receipts only say that
the customer signed. The names on a slip's signature lines are worded here too, so the
receipt and the PDF say the same.
"""
from __future__ import annotations

import base64
import binascii
import io
import warnings

from PIL import Image

from printing.labels_text import label

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_CHARS = 3_000_000  # base64 text; a pad's PNG is a few tens of kB
MAX_PIXELS = 4_000_000
MAX_SIDE = 800  # px kept for the PDF: far more than a signature line shows


def _raw(data: str) -> bytes | None:
    text = data.strip()
    if text.startswith("data:"):
        text = text.partition(",")[2]
    text = "".join(text.split())
    if not text or len(text) > MAX_CHARS:
        return None
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if raw.startswith(PNG_MAGIC) else None


def signature_image(data: str) -> Image.Image | None:
    """The signature as an RGB image on white, at most MAX_SIDE px a side; None when
    `data` is empty or not a readable PNG."""
    raw = _raw(data) if data else None
    if raw is None:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as image:
                if image.format != "PNG":
                    return None
                w, h = image.size
                if w < 1 or h < 1 or w * h > MAX_PIXELS:
                    return None
                rgba = image.convert("RGBA")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombWarning,
            Image.DecompressionBombError):
        return None
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    flat.thumbnail((MAX_SIDE, MAX_SIDE))
    return flat


def has_signature(data: str) -> bool:
    """True when `data` holds a signature the PDF can draw."""
    return signature_image(data) is not None


def png_bytes(image: Image.Image) -> bytes:
    """`image` as PNG bytes (deterministic for the same pixels)."""
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def name_list(names: list[str], lang: str) -> str:
    """Staff names on one line: "张三、李四" / "Zhang, Li"."""
    return (", " if lang == "en" else "、").join(n.strip() for n in names if n.strip())


def manager_sign(lang: str, kind: str, manager: str) -> str:
    """What prints on a return slip's manager line: a cross-out was approved with the
    manager's PIN, so their name reads "<name>（已核准）" / "<name> (approved by PIN)"."""
    if manager.strip() and kind == "cross_out":
        return manager.strip() + label("approved", lang)
    return manager.strip()
