"""Image mode: the receipt drawn with the CJK TrueType font and sent as GS v 0 raster
strips, read back by the decoder into images. zbar reads the CODE128 barcode and the QR
code off the raster; text sits on the printer's column grid; the PNG preview is the same
raster. PNGs land in artifacts/printing/ to be looked at."""
from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest
from escpos_decoder import decode
from PIL import Image, ImageOps
from pyzbar.pyzbar import decode as zbar

from printing import samples
from printing.compose import compose
from printing.documents import DOCUMENT_TYPES, PDF_ONLY
from printing.escpos_render import STRIP_ROWS, render_escpos
from printing.layout import Layout, Row
from printing.profiles import PrinterProfile
from printing.raster import CELL, LINE, render_pages, render_png

ARTIFACTS = Path(__file__).resolve().parents[3] / "artifacts" / "printing"
PAPER_MARGIN = 32  # dots of blank paper either side of the printable width (4 mm)


def scan(image: Image.Image) -> set[tuple[str, str]]:
    """What a barcode scanner reads off a printed page (with the paper's white margin)."""
    paper = ImageOps.expand(image.convert("L"), border=PAPER_MARGIN, fill=255)
    return {(r.type, r.data.decode()) for r in zbar(paper)}


def image_job(doc, paper: int = 80, **kw):  # type: ignore[no-untyped-def]
    profile_kw = {k: kw.pop(k) for k in ("cutter", "drawer") if k in kw}
    profile = PrinterProfile(paper_mm=paper, chinese="image", **profile_kw)
    data = render_escpos(doc, profile, **kw)
    return data, decode(data, "image")


def save(name: str, png: bytes) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    path.write_bytes(png)
    return path


@pytest.mark.parametrize("paper", [80, 58])
def test_barcode_and_qr_decode_from_the_raster(paper: int) -> None:
    slip = samples.sample_sales_slip(8)
    data, out = image_job(slip, paper)
    assert len(out.images) == 3 and out.cuts == ["partial"] * 3
    assert out.lines == [] and out.barcodes == [] and out.qrs == []  # everything is ink
    assert b"\x1c&" not in data and b"\x1dk" not in data and b"\x1d(k" not in data
    for page in out.images:
        assert page.width == PrinterProfile(paper_mm=paper).dots
        assert scan(page) == {("CODE128", slip.number), ("QRCODE", slip.number)}


@pytest.mark.parametrize(("kind", "paper", "code"), [
    ("box_label", 58, "XS-20261122-0007-2"), ("box_label", 80, "XS-20261122-0007-2"),
    ("product_label", 80, "6901234567892"), ("shipping_notice", 58, "SF1234567890123"),
    ("return_slip", 80, "TH-20261122-0003"), ("packing_list", 58, "XS-20261122-0007"),
])
def test_every_barcode_kind_scans(kind: str, paper: int, code: str) -> None:
    _, out = image_job(samples.sample(kind), paper)
    (page,) = out.images
    assert ("CODE128", code) in scan(page)


def test_raster_is_sent_in_strips_and_png_preview_is_the_same_raster() -> None:
    slip = samples.sample_sales_slip(30)
    data, out = image_job(slip, reprint=True)
    first = out.images[0]
    assert data.count(b"\x1dv0") >= sum(-(-im.height // STRIP_ROWS) for im in out.images)
    preview = Image.open(io.BytesIO(render_png(slip, reprint=True))).convert("1")
    assert preview.width == 576
    assert preview.crop((0, 0, 576, first.height)).tobytes() == first.tobytes()
    save("sales_slip_80mm_reprint.png", render_png(slip, reprint=True))


def test_text_sits_on_the_column_grid() -> None:
    """Item rows drawn alone: amounts end at the right edge, names start at column 9."""
    profile = PrinterProfile(chinese="image")
    rows = [b for b in compose(samples.sample_sales_slip(8), profile).blocks
            if isinstance(b, Row) and b.text.startswith("YS-")][:8]
    (only,) = render_pages(Layout(48, list(rows)), profile)
    assert only.image.height == LINE * len(rows)
    ink = ImageOps.invert(only.image.convert("L"))
    for i in range(len(rows)):
        band = ink.crop((0, i * LINE, 576, (i + 1) * LINE))
        left, _, right, _ = band.getbbox() or (0, 0, 0, 0)
        assert left <= 2 and right >= 576 - CELL // 2, (i, left, right)
        name = band.crop((8 * CELL, 0, 576, LINE)).getbbox()
        assert name is not None and CELL <= name[0] <= CELL + 4, (i, name)


def test_drawer_cut_and_feed_stay_commands() -> None:
    slip = samples.sample_sales_slip(2)
    data, out = image_job(slip, drawer=True, open_drawer=True)
    assert out.events[0] == ("drawer", 2)
    _, out = image_job(slip, drawer=True)
    assert out.drawer_kicks == []
    data, out = image_job(slip, cutter=False)
    assert out.cuts == [] and out.of("feed").count(4) == 3


def test_image_mode_is_much_bigger_than_text_mode() -> None:
    slip = samples.sample_sales_slip(300)
    image = render_escpos(slip, PrinterProfile(chinese="image"))
    text = render_escpos(slip, PrinterProfile(chinese="gb18030"))
    assert len(text) * 20 <= len(image)


def test_missing_font_says_what_to_install(tmp_path: Path) -> None:
    profile = PrinterProfile(chinese="image", font_path=str(tmp_path / "nofont.ttc"))
    with pytest.raises(RuntimeError, match="fonts-wqy-microhei"):
        render_escpos(samples.sample("locker_ticket"), profile)


@pytest.mark.parametrize("kind", sorted(set(DOCUMENT_TYPES) - PDF_ONLY))
def test_every_document_renders_to_png(kind: str) -> None:
    for paper, lang in ((80, "zh"), (58, "zh"), (80, "en")):
        png = render_png(samples.sample(kind, lines=6, lang=lang),
                         PrinterProfile(paper_mm=paper, chinese="image"), reprint=kind == "product_label")
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG" and image.width == PrinterProfile(paper_mm=paper).dots
        save(f"{kind}_{paper}mm_{lang}.png", png)


def test_png_preview_defaults_to_80mm_and_accepts_a_text_mode_profile() -> None:
    slip = samples.sample_sales_slip(3)
    assert Image.open(io.BytesIO(render_png(slip))).width == 576
    assert Image.open(io.BytesIO(render_png(slip, PrinterProfile(paper_mm=58, chinese="gbk")))).width == 384
    wide = dataclasses.replace(slip, customer=dataclasses.replace(slip.customer, name="锦绣银楼💍"))
    save("sales_slip_58mm_unusual_name.png", render_png(wide, PrinterProfile(paper_mm=58)))
