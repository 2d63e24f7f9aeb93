"""CSV import from the browser: upload, the counts (rows read / created / updated /
received), every bad row listed with its line number and reason and nothing imported,
a file that is not a CSV refused, the body size limit kept, 2,000 rows timed."""
from __future__ import annotations

import io
import time
from pathlib import Path

import factories
import pytest
from sqlalchemy import func, select

from showroom.catalog.models import Product, StockMove, StockReceipt
from showroom.extensions import db

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def areas(app):
    with app.app_context():
        factories.area(code="A1")
        factories.area(code="A2")
        db.session.commit()


def _counts(app):
    with app.app_context():
        out = tuple(db.session.scalar(select(func.count()).select_from(m))
                    for m in (Product, StockMove, StockReceipt))
        db.session.rollback()
        return out


def _upload(client, content: bytes, name: str = "products.csv", **extra):
    return client.post("/catalog/import", data={"file": (io.BytesIO(content), name), **extra},
                       content_type="multipart/form-data")


def test_good_file_shows_its_counts(app, client, login_as, areas):
    login_as("manager")
    assert "CSV 导入" in client.get("/catalog/import").get_data(as_text=True)
    resp = _upload(client, (DATA / "products_good.csv").read_bytes())
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert 'data-count="read">6<' in page and 'data-count="created">6<' in page
    assert 'data-count="updated">0<' in page and "RK-" in page
    assert _counts(app)[0] == 6
    # again with update: every row updates, none is created
    resp = _upload(client, (DATA / "products_good.csv").read_bytes(), update="y")
    page = resp.get_data(as_text=True)
    assert 'data-count="created">0<' in page and 'data-count="updated">6<' in page


def test_bad_rows_are_listed_and_nothing_imported(app, client, login_as, areas):
    login_as("manager")
    before = _counts(app)
    resp = _upload(client, (DATA / "products_bad.csv").read_bytes())
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "什么都没有导入" in page
    assert 'data-line="3"' in page and 'data-line="4"' in page and "12.345" in page
    assert "名称</td><td>必填" in page  # the column and the reason in the screen's language
    assert 'data-line="2"' not in page  # the good row is not listed
    assert _counts(app) == before


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.png", "不是 CSV 文件"),
    (b"%PDF-1.4\n", "list.csv", "不是 CSV 文件"),
    (b"hello,world\n1,2\n", "products.csv", "表头中有未知的列：hello, world"),
    (b"code,name,price_wholesale,price_franchise\n", "products.csv", "只有表头，没有商品行"),
    (b"", "products.csv", "请选择要导入的 CSV 文件"),
    (b"\xff\xfe\xfa", "products.csv", "既不是 UTF-8 也不是 GB18030"),
])
def test_files_that_are_not_a_product_csv(app, client, login_as, areas, content, name, message):
    login_as("manager")
    before = _counts(app)
    resp = _upload(client, content, name)
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert message in page and 'class="field-error"' in page
    assert _counts(app) == before


def test_body_limit_still_holds(app, client, login_as, areas):
    login_as("manager")
    big = b"code,name,price_wholesale,price_franchise\n" + b"X,y,1,1\n" * 200_000
    body = (b"--b0undary\r\nContent-Disposition: form-data; name=\"file\"; "
            b"filename=\"big.csv\"\r\nContent-Type: text/csv\r\n\r\n" + big
            + b"\r\n--b0undary--\r\n")  # raw bytes: the test client keeps no temp file
    resp = client.post("/catalog/import", data=body,
                       content_type="multipart/form-data; boundary=b0undary")
    assert resp.status_code == 413
    assert _counts(app)[0] == 0


def test_two_thousand_rows_in_the_request(app, client, login_as, areas):
    rows = ["code,barcode,name,area,price_wholesale,price_franchise,stock"]
    rows += [f"K-{n:05d},,925银饰品{n}号,A1,{n % 90 + 10}.50,{n % 90 + 9}.00,{n % 7}"
             for n in range(2000)]
    login_as("manager")
    started = time.perf_counter()
    resp = _upload(client, "\n".join(rows).encode())
    took = time.perf_counter() - started
    assert resp.status_code == 200
    assert 'data-count="created">2000<' in resp.get_data(as_text=True)
    assert took < 5, took  # a plain upload-then-result page is fine at this size
    print(f"2,000 rows imported from the browser in {took:.2f} s")


def test_import_is_for_managers(app, client, login_as):
    login_as("cashier")
    assert client.get("/catalog/import").status_code == 403
    assert _upload(client, (DATA / "products_good.csv").read_bytes()).status_code == 403
    assert _counts(app)[0] == 0
