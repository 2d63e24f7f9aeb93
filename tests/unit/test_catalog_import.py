"""`flask catalog import FILE.csv`: all rows or none, every bad row listed with its line,
UTF-8 / BOM / GB18030, --update, and a timed 20k-row import."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import factories
import pytest
from sqlalchemy import func, select

from showroom.catalog.importer import (
    ImportFileError,
    check_rows,
    ean13_check_digit,
    read_csv,
    valid_ean13,
)
from showroom.catalog.models import Product, StockMove, StockReceipt
from showroom.extensions import db
from showroom.numbering import DocumentCounter

DATA = Path(__file__).parent.parent / "data"
HEADER = ("code,barcode,name,category,area,price_wholesale,price_franchise,care_note,"
          "material,origin,stock\n")


def _count(model: Any) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def _product(code: str) -> Product:
    return db.session.scalars(select(Product).where(Product.code == code)).one()


def _moves_match_on_hand() -> bool:
    moved = dict(db.session.execute(select(StockMove.product_id, func.sum(StockMove.qty))
                                    .group_by(StockMove.product_id)).tuples().all())
    return all(p.on_hand == moved.get(p.id, 0) for p in db.session.scalars(select(Product)))


@pytest.fixture
def areas(app: Any) -> None:
    with app.app_context():
        factories.area(code="A1")
        factories.area(code="A2")
        db.session.commit()


def run(runner: Any, path: Path | str, *extra: str) -> Any:
    return runner.invoke(args=["catalog", "import", str(path), *extra])


def test_good_file_imports_every_row(app: Any, runner: Any, areas: None) -> None:
    result = run(runner, DATA / "products_good.csv")
    assert result.exit_code == 0, result.output
    assert "imported 6 new" in result.output and "147 pieces received" in result.output
    with app.app_context():
        assert _count(Product) == 6
        ring = _product("JZ-0002")  # code stored upper-case
        assert (ring.price_wholesale, ring.price_franchise, ring.on_hand) == (3850, 3500, 12)
        assert ring.area is not None and ring.area.code == "A1"
        chain = _product("SL-0001")  # quoted comma, "1,280.00", a two-line care note
        assert chain.name == "925银转运珠手链,红绳款" and chain.price_wholesale == 128000
        assert chain.care_note == "戴前取下,勿沾水\n不戴时密封保存" and chain.on_hand == 0
        necklace = _product("XL-0001")  # "¥68.00", blank stock
        assert necklace.price_wholesale == 6800 and necklace.on_hand == 0
        bangle = _product("SZ-0001")
        assert bangle.barcode is None and bangle.area_id is None and bangle.on_hand == 5
        assert bangle.price_franchise == 24880
        assert _count(StockReceipt) == 1
        assert db.session.scalar(select(func.sum(StockMove.qty))) == 147
        assert {m.reason for m in db.session.scalars(select(StockMove))} == {"receipt"}
        assert _moves_match_on_hand()


def test_bad_file_imports_nothing_and_lists_every_bad_line(app: Any, runner: Any,
                                                           areas: None) -> None:
    with app.app_context():
        factories.product(code="EXIST-1", stock=5)
        db.session.commit()
    result = run(runner, DATA / "products_bad.csv")
    assert result.exit_code != 0
    out = result.output
    expected = {
        3: "name: required",
        4: "price_wholesale: '12.345'",
        5: "price_franchise: 'abc'",
        6: "stock cannot be negative",
        7: "duplicate code DZ-0001, already on line 2",
        8: "duplicate barcode 6921638001013, already on line 2",
        9: "unknown area 'Z9'",
        10: "name: too long: 124 characters, at most 120",
        12: "EXIST-1 is already in the catalog",
        13: "EAN-13 check digit should be",
        14: "too many cells",
        15: "stock must be a whole number",
    }
    for line, reason in expected.items():
        hits = [ln for ln in out.splitlines() if ln.startswith(f"line {line}:")]
        assert hits and any(reason in h for h in hits), (line, reason, out)
    assert "line 2:" not in out and "line 11:" not in out
    assert "12 bad rows out of 14: nothing imported" in out
    with app.app_context():
        assert _count(Product) == 1 and _count(StockReceipt) == 0
        assert _count(DocumentCounter) == 0  # not even a receipt number was used


def test_gb18030_file_with_chinese_headers(app: Any, runner: Any, areas: None) -> None:
    raw = (DATA / "products_gb18030.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    result = run(runner, DATA / "products_gb18030.csv")
    assert result.exit_code == 0, result.output
    assert "gb18030" in result.output
    with app.app_context():
        anklet = _product("JL-0001")
        assert anklet.name == "足银铃铛脚链" and anklet.origin == "云南鹤庆"
        assert anklet.price_franchise == 2950 and anklet.on_hand == 20
        assert _product("XZ-0001").material == "铜镀白金"


def test_utf8_file_with_bom(app: Any, runner: Any, areas: None) -> None:
    assert (DATA / "products_bom.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    result = run(runner, DATA / "products_bom.csv")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert _product("EH-0101").name == "925银镀金蝴蝶耳线"
        assert _count(Product) == 2


def test_existing_code_is_an_error_unless_update(app: Any, runner: Any, areas: None,
                                                 tmp_path: Path) -> None:
    assert run(runner, DATA / "products_good.csv").exit_code == 0
    again = run(runner, DATA / "products_good.csv")
    assert again.exit_code != 0 and "line 2: code: JZ-0001 is already in the catalog" in again.output
    changed = tmp_path / "prices.csv"
    changed.write_text(
        "code,name,price_wholesale,price_franchise,stock,category\n"
        "JZ-0001,S925纯银素圈戒指（新款）,26.00,23.00,10,\n"
        "NEW-1,925银新品戒指,30,27,,戒指\n", encoding="utf-8")
    result = run(runner, changed, "--update")
    assert result.exit_code == 0, result.output
    assert "imported 1 new, updated 1" in result.output
    with app.app_context():
        ring = _product("JZ-0001")
        assert ring.name == "S925纯银素圈戒指（新款）" and ring.price_wholesale == 2600
        assert ring.on_hand == 40 and ring.category == "戒指"  # blank cell kept
        assert ring.care_note.startswith("避免接触香水")  # column absent: kept
        assert _product("NEW-1").on_hand == 0
        assert _count(StockReceipt) == 2 and _moves_match_on_hand()


def test_barcode_of_another_product_is_refused(app: Any, runner: Any, areas: None,
                                               tmp_path: Path) -> None:
    with app.app_context():
        other = factories.product(code="OLD-1", barcode="6921638000016")
        db.session.commit()
        assert other.barcode
    result = run(runner, DATA / "products_good.csv", "--update")
    assert result.exit_code != 0
    assert "line 2: barcode: barcode 6921638000016 already belongs to product OLD-1" in result.output


@pytest.mark.parametrize("content, message", [
    (b"", "a header row is required"),
    (HEADER.encode(), "no product rows"),
    (b"code,name,price_wholesale\nA,b,1\n", "lacks required columns: price_franchise"),
    (b"code,name,price_wholesale,price_franchise,colour\nA,b,1,1,red\n", "unknown columns"),
    (b"code,name,code,price_wholesale,price_franchise\n", "columns given twice: code"),
    (b"\xff\xfe\x00c", "neither UTF-8 nor GB18030"),
])
def test_whole_file_problems(app: Any, runner: Any, tmp_path: Path, content: bytes,
                             message: str) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(content)
    result = run(runner, path)
    assert result.exit_code != 0 and message in result.output, result.output


def test_reasons_and_line_numbers(ctx: Any) -> None:
    factories.area(code="A1")
    text = HEADER + (
        'A-1,6921638000016,戒指,戒指,a1,1,1,"care over\ntwo lines",,,1\n'  # lines 2-3, fine
        "A-2,6.92164E+12,戒指,戒指,A1,1,1,,,,1\n"  # line 4: spreadsheet-mangled barcode
        "A-3,,戒\x07指,戒指,A1,1,1,,,,1\n"  # line 5: control character
        "A-4,,戒指,戒指,A1,1,1,,,,100001\n"  # line 6: too many pieces
        "A 5,,戒指,戒指,A1,-1,1,,,,1\n"  # line 7: space in code, negative price
        '"A-6",,"two\nlines",戒指,A1,1,1,,,,1\n'  # lines 8-9: a line break in a name
    )
    checked = check_rows(read_csv(text.encode()))
    got = {(e.line, e.field) for e in checked.errors}
    assert got == {(4, "barcode"), (5, "name"), (6, "stock"), (7, "code"),
                   (7, "price_wholesale"), (8, "name")}
    assert [r.line for r in checked.rows] == [2]
    assert checked.rows[0].values["area_id"] is not None  # area codes match case-insensitively
    with pytest.raises(ImportFileError):
        read_csv(b"code,name\n")


def test_ean13() -> None:
    assert ean13_check_digit("692163800001") == 6
    assert valid_ean13("6921638000016") and not valid_ean13("6921638000017")
    assert not valid_ean13("692163800001") and not valid_ean13("69216380000A6")


@pytest.mark.slow
def test_import_20k_rows_is_fast(app: Any, runner: Any, areas: None, tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as f:
        f.write(HEADER)
        for i in range(20_000):
            first12 = f"69{i:010d}"
            f.write(f"P-{i:06d},{first12}{ean13_check_digit(first12)},925银手链{i}号,手链,"
                    f"A{1 + i % 2},{10 + i % 90}.50,{9 + i % 90}.80,,S925银,义乌,{i % 7}\n")
    started = time.perf_counter()
    result = run(runner, path)
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    print(f"\nimported 20,000 rows in {elapsed:.2f} s")
    assert elapsed < 60
    with app.app_context():
        assert _count(Product) == 20_000 and _moves_match_on_hand()


def test_import_products_service_writes_nothing_while_any_row_is_bad(ctx: Any) -> None:
    from showroom.catalog.importer import import_products

    good = HEADER + "S-1,,925银素圈戒指,戒指,,10,9,,,,3\n"
    checked, result = import_products((good + "S-2,,,戒指,,10,9,,,,3\n").encode())
    assert result is None and [str(e) for e in checked.errors] == ["line 3: name: required"]
    assert _count(Product) == 0
    checked, result = import_products(good.encode("gb18030"))
    assert checked.ok and result is not None and (result.created, result.units) == (1, 3)
    assert _product("S-1").on_hand == 3 and _moves_match_on_hand()


def test_code_taken_between_check_and_write(app: Any, runner: Any, areas: None,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import showroom.catalog.cli as catalog_cli

    real_check = catalog_cli.check_rows

    def check_then_race(*args: Any, **kwargs: Any) -> Any:
        checked = real_check(*args, **kwargs)
        factories.product(code="EH-0001", barcode="6900000000017", stock=0)  # another desk
        db.session.commit()
        return checked

    monkeypatch.setattr(catalog_cli, "check_rows", check_then_race)
    result = run(runner, DATA / "products_good.csv")
    assert result.exit_code != 0 and "the catalog changed while importing" in result.output
    with app.app_context():
        assert _count(Product) == 1 and _count(StockReceipt) == 0


def test_receipt_records_the_staff_member(app: Any, runner: Any, areas: None,
                                          make_staff: Any) -> None:
    staff = make_staff("manager")
    assert run(runner, DATA / "products_bom.csv", "--staff", "nobody").exit_code != 0
    result = run(runner, DATA / "products_bom.csv", "--staff", staff["staff_no"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        receipt = db.session.scalars(select(StockReceipt)).one()
        assert receipt.staff_id == staff["id"]
        assert {m.staff_id for m in db.session.scalars(select(StockMove))} == {staff["id"]}
