"""The consignment screens through the test client: a manager makes a customer a consignor
(once; a bad share a 422 with nothing written), reception takes goods in absent (sent for
signature) or present (the pad), once per form token; bad lines a 422 with the row's field
marked and nothing written; the list page with its product codes, the returned signature
(pad or photo), reprints, the PDFs, a withdrawal never beyond on hand; roles refused; the
back-office tile and consignor codes on product screens."""
from __future__ import annotations

import base64
import io
import re
from typing import Any

import factories
import pytest
from consignment_support import consignor, counts, intake
from repairs_support import jpeg
from sqlalchemy import select

from showroom.catalog.models import Product
from showroom.consignment.models import Consignment, Consignor
from showroom.extensions import db

SIG = "data:image/png;base64," + base64.b64encode(factories.signature_png()).decode()


def _token(client: Any, url: str, name: str = "token") -> str:
    page = client.get(url).get_data(as_text=True)
    found = re.findall(rf'name="{name}"[^>]*value="([0-9a-f-]{{36}})"', page) or \
        re.findall(rf'value="([0-9a-f-]{{36}})"[^>]*name="{name}"', page)
    assert found, page[:400]
    return found[0]


@pytest.fixture
def cust(app: Any) -> int:
    with app.app_context():
        c = factories.customer(name="李明", phone="13912345678")
        db.session.commit()
        return c.id


@pytest.fixture
def cons(app: Any) -> dict[str, Any]:
    with app.app_context():
        c = consignor("李明")
        db.session.commit()
        return {"id": c.id, "code": c.code}


def _lines(n: int = 2, **over: str) -> dict[str, str]:
    data: dict[str, str] = {}
    for i in range(n):
        data |= {f"lines-{i}-name": f"古法银手镯{i}", f"lines-{i}-qty": str(i + 2),
                 f"lines-{i}-price_wholesale": "128.00", f"lines-{i}-price_franchise": "１１８",
                 f"lines-{i}-consignor_price": "90" if i else ""}
    return data | over


def test_manager_makes_a_consignor_once(app: Any, client: Any, login_as: Any, cust: int) -> None:
    login_as("manager")
    page = client.get(f"/consignment/?cq=李明&customer_id={cust}").get_data(as_text=True)
    assert 'id="consignor-form"' in page and "李明" in page
    token = _token(client, f"/consignment/?customer_id={cust}")
    data = {"token": token, "customer_id": str(cust), "share": "75"}
    first = client.post("/consignment/consignors", data=data)
    again = client.post("/consignment/consignors", data=data)
    assert first.status_code == 303 and again.headers["Location"] == first.headers["Location"]
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        c = db.session.scalar(select(Consignor))
        assert c.code.startswith("pf") and c.code.endswith("李") and c.share_bp == 7500
    assert c.code in page and "75%" in page
    token = _token(client, f"/consignment/?customer_id={cust}")
    twice = client.post("/consignment/consignors",
                        data={"token": token, "customer_id": str(cust), "share": ""})
    assert twice.status_code == 409 and c.code in twice.get_data(as_text=True)


@pytest.mark.parametrize("share", ["101", "-5", "abc", "80.123"])
def test_bad_share_is_422_and_writes_nothing(app: Any, client: Any, login_as: Any, cust: int,
                                             share: str) -> None:
    login_as("manager")
    token = _token(client, f"/consignment/?customer_id={cust}")
    with app.app_context():
        before = counts()
    resp = client.post("/consignment/consignors",
                       data={"token": token, "customer_id": str(cust), "share": share})
    assert resp.status_code == 422
    assert 'data-error-for="share"' in resp.get_data(as_text=True)
    with app.app_context():
        assert counts() == before


def test_reception_takes_in_absent_once_and_sees_the_list(app: Any, client: Any,
                                                          login_as: Any, cons: dict) -> None:
    login_as("reception")
    url = f"/consignment/consignors/{cons['id']}/intake"
    page = client.get(url).get_data(as_text=True)
    assert 'id="intake-submit"' in page and "lines-4-name" in page and cons["code"] in page
    data = {"token": _token(client, url), "present": "absent", **_lines(2)}
    first = client.post(url, data=data)
    again = client.post(url, data=data)
    assert first.status_code == 303 and again.headers["Location"] == first.headers["Location"]
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    head = cons["code"][:-1]
    assert f"{head}-001" in page and f"{head}-002" in page and 'id="list-waiting"' in page
    assert 'data-state="sent"' in page and "118.00" in page and "90.00" in page
    with app.app_context():
        (k,) = db.session.scalars(select(Consignment)).all()
        assert [ln.qty for ln in k.lines] == [2, 3]
    pdf = client.get(f"/consignment/lists/{k.id}/list.pdf")
    labels = client.get(f"/consignment/lists/{k.id}/labels.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert labels.status_code == 200 and labels.data.startswith(b"%PDF")


def test_present_needs_the_pad_and_signs(app: Any, client: Any, login_as: Any,
                                         cons: dict) -> None:
    login_as("reception")
    url = f"/consignment/consignors/{cons['id']}/intake"
    with app.app_context():
        before = counts()
    empty = client.post(url, data={"token": _token(client, url), "present": "present",
                                   **_lines(1)})
    assert empty.status_code == 422 and "sign" in empty.get_data(as_text=True)
    with app.app_context():
        assert counts() == before
    done = client.post(url, data={"token": _token(client, url), "present": "present",
                                  "signature": SIG, **_lines(1)})
    assert done.status_code == 303
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert 'data-state="signed"' in page and 'id="list-signature"' in page
    img = re.search(r'id="list-signature" src="([^"]+)"', page)
    assert img and client.get(img.group(1)).status_code == 200


@pytest.mark.parametrize(("over", "field"), [
    ({"lines-0-qty": "0"}, "lines-0-qty"), ({"lines-1-qty": "-3"}, "lines-1-qty"),
    ({"lines-0-price_wholesale": "-1"}, "lines-0-price_wholesale"),
    ({"lines-1-price_franchise": "abc"}, "lines-1-price_franchise"),
    ({"lines-0-name": "长" * 121}, "lines-0-name"),
    ({"lines-0-name": "手\u202e镯"}, "lines-0-name"),
    ({"lines-1-consignor_price": "1.234"}, "lines-1-consignor_price")])
def test_bad_lines_are_422_marked_and_write_nothing(app: Any, client: Any, login_as: Any,
                                                    cons: dict, over: dict, field: str) -> None:
    login_as("reception")
    url = f"/consignment/consignors/{cons['id']}/intake"
    with app.app_context():
        before = counts()
    resp = client.post(url, data={"token": _token(client, url), "present": "absent",
                                  **_lines(2, **over)})
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert f'data-error-for="{field}"' in page or field.split("-")[-1] in page
    with app.app_context():
        assert counts() == before


def test_an_empty_list_is_refused(app: Any, client: Any, login_as: Any, cons: dict) -> None:
    login_as("reception")
    url = f"/consignment/consignors/{cons['id']}/intake"
    resp = client.post(url, data={"token": _token(client, url), "present": "absent"})
    assert resp.status_code == 422 and "至少要有一件商品" in resp.get_data(as_text=True)
    with app.app_context():
        assert not db.session.scalars(select(Consignment)).all()


def test_returned_signature_by_pad_and_by_photo(app: Any, client: Any, login_as: Any) -> None:
    with app.app_context():
        c = consignor("李明")
        a, b = intake(c, n=1), intake(c, n=1)
        db.session.commit()
        ids = (a.id, b.id)
    login_as("reception")
    page = client.get(f"/consignment/lists/{ids[0]}").get_data(as_text=True)
    assert 'id="returned-form"' in page
    none = client.post(f"/consignment/lists/{ids[0]}/signature", data={})
    assert none.status_code in (400, 422)
    by_pad = client.post(f"/consignment/lists/{ids[0]}/signature", data={"signature": SIG})
    assert by_pad.status_code == 303
    by_photo = client.post(f"/consignment/lists/{ids[1]}/signature",
                           content_type="multipart/form-data",
                           data={"photo": (io.BytesIO(jpeg()), "signed.jpg")})
    assert by_photo.status_code == 303
    for list_id in ids:
        page = client.get(f"/consignment/lists/{list_id}").get_data(as_text=True)
        assert 'data-state="returned"' in page and 'id="returned-form"' not in page
    twice = client.post(f"/consignment/lists/{ids[0]}/signature", data={"signature": SIG})
    assert twice.status_code == 409
    assert client.get(f"/consignment/lists/{ids[1]}/list.pdf").status_code == 200


def test_reprints_queue_jobs(app: Any, client: Any, login_as: Any) -> None:
    from showroom.printjobs.models import PrintJob

    with app.app_context():
        k = intake(consignor("李明"), n=2, qty=3)
        db.session.commit()
        kid = k.id
        before = len(db.session.scalars(select(PrintJob)).all())
    login_as("reception")
    assert client.post(f"/consignment/lists/{kid}/reprint", data={"what": "list"}).status_code == 303
    assert client.post(f"/consignment/lists/{kid}/reprint",
                       data={"what": "labels"}).status_code == 303
    with app.app_context():
        jobs = db.session.scalars(select(PrintJob).order_by(PrintJob.id)).all()
        assert len(jobs) == before + 3
        assert sum(j.copies for j in jobs[-2:]) == 6
        assert all(j.reprint for j in jobs[-3:])  # 重印 / REPRINT on the paper


def test_manager_withdraws_never_beyond_on_hand(app: Any, client: Any, login_as: Any) -> None:
    with app.app_context():
        k = intake(consignor("李明"), n=2, qty=3)
        db.session.commit()
        kid = k.id
        p1, p2 = (ln.product_id for ln in k.lines)
    login_as("manager")
    url = f"/consignment/lists/{kid}"
    with app.app_context():
        before = counts()
    over = client.post(url + "/withdraw", data={"token": _token(client, url),
                                                "present": "absent", f"qty_{p1}": "4"})
    assert over.status_code == 409
    with app.app_context():
        assert counts() == before
    bad = client.post(url + "/withdraw", data={"token": _token(client, url),
                                               "present": "absent", f"qty_{p1}": "x"})
    assert bad.status_code == 422
    done = client.post(url + "/withdraw", data={"token": _token(client, url), "present": "absent",
                                                f"qty_{p1}": "2", f"qty_{p2}": "3"})
    assert done.status_code == 303
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "DT-" in page and 'data-state="sent"' in page
    with app.app_context():
        assert [db.session.get(Product, p).on_hand for p in (p1, p2)] == [1, 0]


@pytest.mark.parametrize("role", ["clerk", "cashier", "packer", "shipper"])
def test_other_roles_are_refused(app: Any, client: Any, login_as: Any, cons: dict,
                                 role: str) -> None:
    login_as(role)
    for url in ("/consignment/", f"/consignment/consignors/{cons['id']}",
                f"/consignment/consignors/{cons['id']}/intake"):
        assert client.get(url).status_code == 403
    assert client.post(f"/consignment/consignors/{cons['id']}/intake",
                       data=_lines(1)).status_code == 403
    assert client.post("/consignment/consignors", data={"customer_id": "1"}).status_code == 403


def test_reception_may_not_make_consignors_or_withdraw(app: Any, client: Any, login_as: Any,
                                                       cust: int) -> None:
    with app.app_context():
        k = intake(consignor("王五"), n=1)
        db.session.commit()
        kid = k.id
    login_as("reception")
    assert client.post("/consignment/consignors",
                       data={"customer_id": str(cust)}).status_code == 403
    assert client.post(f"/consignment/lists/{kid}/withdraw", data={}).status_code == 403
    page = client.get(f"/consignment/lists/{kid}").get_data(as_text=True)
    assert 'id="withdraw-submit"' not in page and 'id="nav-consignment"' in page


def test_back_office_tile_and_search(app: Any, client: Any, login_as: Any, cons: dict) -> None:
    login_as("manager")
    assert 'id="tile-consignment"' in client.get("/catalog/").get_data(as_text=True)
    page = client.get("/consignment/?q=" + cons["code"][:3]).get_data(as_text=True)
    assert f'data-consignor="{cons["code"]}"' in page
    page = client.get("/consignment/?q=李").get_data(as_text=True)
    assert f'data-consignor="{cons["code"]}"' in page
    page = client.get("/consignment/?q=nobody").get_data(as_text=True)
    assert "data-consignor=" not in page


def test_product_screens_show_the_consignor_code(app: Any, client: Any, login_as: Any) -> None:
    with app.app_context():
        c = consignor("李明")
        k = intake(c, n=1)
        ours = factories.product(code="SL-0009")
        db.session.commit()
        pid, code, ours_id = k.lines[0].product_id, c.code, ours.id
        pcode = db.session.get(Product, pid).code
    login_as("manager")
    listing = client.get("/catalog/products?q=" + pcode).get_data(as_text=True)
    assert "data-consignor-code" in listing and code in listing
    page = client.get(f"/catalog/products/{pid}").get_data(as_text=True)
    assert 'id="product-consignor"' in page and code in page
    page = client.get(f"/catalog/products/{ours_id}").get_data(as_text=True)
    assert 'id="product-consignor"' not in page


def test_search_finds_consigned_goods_by_their_code_prefix(app: Any) -> None:
    from showroom.catalog.services import search_products

    with app.app_context():
        c = consignor("李明")
        intake(c, n=2)
        db.session.commit()
        head = c.code[:-1]
        assert [p.code for p in search_products(head)] == [f"{head}-001", f"{head}-002"]
        assert [p.code for p in search_products(f"{head}-002")] == [f"{head}-002"]
