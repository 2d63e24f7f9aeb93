"""Signatures on the slips (Std ch.5): a return slip's handler / customer / department
manager lines on the receipt and the PDF, a cross-out titled apart and its manager marked
as approved by PIN; a sales slip with the customer's signature picture from the tablet on
the PDF's customer line and the counters on 点货人, a bad picture leaving the line blank.
PNGs of the pages land in artifacts/printing/pdf/ for a person to look at."""
from __future__ import annotations

import base64
import dataclasses
import io
import re
import subprocess
from pathlib import Path

import pytest
from escpos_decoder import decode
from PIL import Image, ImageDraw

from printing.documents import ReturnSlip, SalesSlip, document_from_payload, to_payload
from printing.escpos_render import render_escpos
from printing.pdf import render_pdf
from printing.profiles import PrinterProfile
from printing.raster import render_png
from printing.samples import sample, sample_sales_slip
from printing.signature import has_signature, signature_image

ARTIFACTS = Path(__file__).resolve().parents[3] / "artifacts" / "printing" / "pdf"
MODES = ("gb18030", "utf8")


def signature_b64(size: tuple[int, int] = (600, 200)) -> str:
    """A few pen strokes on a transparent pad, as the tablet sends them."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    w, h = size
    pen.line([(w * 0.05, h * 0.75), (w * 0.13, h * 0.2), (w * 0.2, h * 0.8), (w * 0.28, h * 0.25),
              (w * 0.37, h * 0.7)], fill=(0, 0, 0, 255), width=6)
    pen.line([(w * 0.43, h * 0.5), (w * 0.55, h * 0.3), (w * 0.63, h * 0.75), (w * 0.93, h * 0.6)],
             fill=(0, 0, 0, 255), width=6)
    out = io.BytesIO()
    image.save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode()


def cross_out(lang: str = "zh") -> ReturnSlip:
    base = sample("return_slip", lines=2, lang=lang)
    assert isinstance(base, ReturnSlip)
    return dataclasses.replace(base, kind="cross_out", handler="1006 赵敏", manager="1008 王经理",
                               reason="客户不要了")


def signed(**kw: object) -> SalesSlip:
    fields: dict[str, object] = {"customer_signature_png": signature_b64(),
                                 "counted_by": ["1006 赵敏", "1007 钱军"]}
    fields.update(kw)
    return dataclasses.replace(sample_sales_slip(3), **fields)  # type: ignore[arg-type]


def texts(doc: object, mode: str, paper: int = 80) -> list[str]:
    return decode(render_escpos(doc, PrinterProfile(paper_mm=paper, chinese=mode)), mode).texts  # type: ignore[arg-type]


def pdf_text(name: str, pdf: bytes) -> tuple[Path, str]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    return path, re.sub(r"\s+", "", text)


def page_png(path: Path, dpi: int = 100) -> Image.Image:
    stem = path.with_name(path.stem + "-page")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", "1", "-l", "1", str(path),
                    str(stem)], check=True)
    return Image.open(f"{stem}.png").convert("L")


# -- return slip ------------------------------------------------------------------------

@pytest.mark.parametrize("paper", [80, 58])
@pytest.mark.parametrize("mode", MODES)
def test_cross_out_receipt_has_its_title_and_the_three_signature_lines(mode: str, paper: int) -> None:
    out = texts(cross_out(), mode, paper)
    assert "退货单（点货划除）" in out  # one line, single width on 58 mm rather than wrapped
    assert "经手人：1006 赵敏" in out
    assert "部门经理：1008 王经理（已核准）" in out
    assert any(re.fullmatch(r"客户签字：_{6,}", t) for t in out)  # left blank to sign
    assert "原因：客户不要了" in out


@pytest.mark.parametrize("mode", MODES)
def test_on_the_spot_return_names_the_manager_without_approval_mark(mode: str) -> None:
    slip = dataclasses.replace(cross_out(), kind="on_the_spot")
    out = texts(slip, mode)
    assert "退货单" in out and "退货单（点货划除）" not in out
    assert "部门经理：1008 王经理" in out


def test_english_cross_out_receipt() -> None:
    out = texts(cross_out("en"), "utf8")
    assert "Return slip (crossed out at packing)" in out
    assert "Handled by: 1006 赵敏" in out and "Manager: 1008 王经理 (approved by PIN)" in out


@pytest.mark.parametrize("mode", MODES)
def test_old_return_payload_still_prints_with_blank_lines(mode: str) -> None:
    payload = to_payload(sample("return_slip", lines=2))
    for key in ("kind", "handler", "manager", "reason"):
        payload.pop(key)
    doc = document_from_payload("return_slip", payload)
    out = texts(doc, mode)
    assert "退货单" in out
    for key in ("经手人", "客户签字", "部门经理"):
        assert any(re.fullmatch(key + r"：_{6,}", t) for t in out), key
    assert render_pdf(doc).startswith(b"%PDF-")


def test_cross_out_pdf_shows_title_names_and_approval() -> None:
    path, text = pdf_text("return_slip-cross_out", render_pdf(cross_out()))
    for want in ("退货单（点货划除）", "经手人", "1006赵敏", "客户签字", "部门经理", "1008王经理（已核准）",
                 "原因：客户不要了"):
        assert want in text, want
    assert page_png(path)
    _, en = pdf_text("return_slip-cross_out-en", render_pdf(cross_out("en")))
    assert "Manager:" in en and "(approvedbyPIN)" in en and "Returnslip(crossedoutatpacking)" in en


# -- sales slip -------------------------------------------------------------------------

@pytest.mark.parametrize("mode", MODES)
def test_signed_sales_slip_receipt_says_signed_and_names_counters(mode: str) -> None:
    out = texts(signed(), mode)
    assert out.count("点货人：1006 赵敏、1007 钱军") == 3  # every copy
    assert out.count("客户已签字") == 3
    unsigned = texts(sample_sales_slip(3), mode)
    assert not any("客户已签字" in t or "点货人" in t for t in unsigned)
    en = texts(signed(lang="en"), "utf8")
    assert "Counted by: 1006 赵敏, 1007 钱军" in en and "Signed by customer" in en


def test_receipt_image_mode_draws_no_signature_picture() -> None:
    plain = render_png(signed(customer_signature_png=""), PrinterProfile(paper_mm=80, chinese="image"))
    with_sig = render_png(signed(), PrinterProfile(paper_mm=80, chinese="image"))
    # one text line more per copy ("客户已签字"), not a picture the height of a signature
    h_plain = Image.open(io.BytesIO(plain)).size[1]
    h_sig = Image.open(io.BytesIO(with_sig)).size[1]
    assert 0 < h_sig - h_plain <= 3 * 40


def test_signed_pdf_draws_the_signature_on_the_customer_line_and_the_counters() -> None:
    path, text = pdf_text("sales_slip-signed", render_pdf(signed()))
    assert "点货人：1006赵敏、1007钱军" in text and "客户签字" in text
    page = page_png(path)
    bare_path, bare_text = pdf_text("sales_slip-unsigned", render_pdf(signed(customer_signature_png="")))
    assert "点货人" in bare_text
    bare = page_png(bare_path)
    # the slip with the picture has ink in the customer's half of the signature row where
    # the bare slip has none (the row is taller, so 经手人 moves down too: look left only)
    assert page.size == bare.size
    width = page.size[0]
    diff = [i for i, (a, b) in enumerate(zip(page.tobytes(), bare.tobytes(), strict=True))
            if a < 128 <= b and i % width < width * 0.45]
    assert len(diff) > 200
    ys = {i // width for i in diff}
    assert max(ys) - min(ys) < page.size[1] * 0.12  # within a signature line's height
    assert min(ys) > page.size[1] * 0.4  # below the totals, where the line is


def test_signed_english_pdf() -> None:
    path, text = pdf_text("sales_slip-signed-en", render_pdf(signed(lang="en"), page="A4"))
    assert "Countedby:1006赵敏,1007钱军" in text and "Customersignature:" in text
    assert page_png(path, dpi=60)


@pytest.mark.parametrize("bad", ["not base64 at all!!", base64.b64encode(b"GIF89a....").decode(),
                                 base64.b64encode(b"\x89PNG\r\n\x1a\ntruncated").decode(),
                                 "data:image/png;base64,"])
def test_bad_signature_leaves_the_line_blank(bad: str) -> None:
    assert not has_signature(bad)
    doc = signed(customer_signature_png=bad)
    _, text = pdf_text("sales_slip-bad-signature", render_pdf(doc))
    assert "客户签字" in text
    assert "客户已签字" not in texts(doc, "gb18030")


def test_signature_as_data_url_and_very_tall_or_wide_pictures_fit() -> None:
    assert has_signature("data:image/png;base64," + signature_b64())
    for size in ((2000, 40), (40, 700)):
        image = signature_image(signature_b64(size))
        assert image is not None and max(image.size) <= 800 and image.mode == "RGB"
        assert render_pdf(signed(customer_signature_png=signature_b64(size))).startswith(b"%PDF-")


def test_signed_payload_round_trips_and_old_payload_defaults() -> None:
    doc = signed()
    back = document_from_payload("sales_slip", to_payload(doc))
    assert back == doc
    old = to_payload(sample_sales_slip(2))
    old.pop("customer_signature_png")
    old.pop("counted_by")
    legacy = document_from_payload("sales_slip", old)
    assert isinstance(legacy, SalesSlip)
    assert legacy.customer_signature_png == "" and legacy.counted_by == []
