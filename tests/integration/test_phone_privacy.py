"""Phones (SPEC §12): roles that may not see phones cannot recover a masked number by
searching prefixes, and find a customer only by the whole number, masked. Phones are
checked: a mainland mobile or a landline with its area code."""
from __future__ import annotations

from typing import Any

import factories
import pytest
from sqlalchemy import select

from showroom.customers.models import Customer
from showroom.extensions import db

PHONE = "13912345678"
MASKED = "139****5678"


@pytest.fixture
def customer(app: Any) -> dict[str, Any]:
    with app.app_context():
        c = factories.customer(name="隐私测试客户", phone=PHONE)
        db.session.commit()
        return {"id": c.id, "code": c.code, "name": c.name}


PREFIXES = ["1", "13", "139", "1391", "13912", "139123", "1391234", "13912345", "139123456",
            "1391234567"]


@pytest.mark.parametrize("q", PREFIXES)
def test_a_clerk_learns_nothing_from_phone_prefixes_on_screen(client, login_as, customer, q):
    login_as("clerk")
    page = client.get("/customers/", query_string={"q": q}).get_data(as_text=True)
    assert customer["name"] not in page and customer["code"] not in page


@pytest.mark.parametrize("q", PREFIXES)
def test_a_clerk_learns_nothing_from_phone_prefixes_over_the_api(client, api_headers, customer,
                                                                 q):
    resp = client.get("/api/v1/customers", query_string={"q": q}, headers=api_headers("clerk"))
    assert resp.status_code == 200
    assert resp.get_json()["items"] == []


@pytest.mark.parametrize("typed", [PHONE, "139 1234 5678", "139-1234-5678", "+86 13912345678"])
def test_a_clerk_finds_the_customer_by_the_whole_number_masked(client, login_as, api_headers,
                                                               customer, typed):
    login_as("clerk")
    page = client.get("/customers/", query_string={"q": typed}).get_data(as_text=True)
    results = page.replace(f'value="{typed}"', "")  # the search box shows what was typed
    assert customer["name"] in results and MASKED in results
    assert PHONE not in results
    items = client.get("/api/v1/customers", query_string={"q": typed},
                       headers=api_headers("clerk")).get_json()["items"]
    assert [(i["id"], i["phone"]) for i in items] == [(customer["id"], MASKED)]


def test_roles_that_may_see_phones_still_search_by_prefix(client, login_as, api_headers,
                                                          customer):
    login_as("reception")
    page = client.get("/customers/", query_string={"q": "1391234"}).get_data(as_text=True)
    assert customer["name"] in page and PHONE in page
    items = client.get("/api/v1/customers", query_string={"q": "13912"},
                       headers=api_headers("cashier")).get_json()["items"]
    assert [i["phone"] for i in items] == [PHONE]
    visit_page = client.get("/reception/visits/new", query_string={"q": "139123"})
    assert customer["name"] in visit_page.get_data(as_text=True)


# --- phones checked --------------------------------------------------------------------

GOOD = {"13800138000": "13800138000", "138 0013 8000": "13800138000",
        "+86 138-0013-8000": "13800138000", "010-12345678": "010-12345678",
        "010 1234 5678": "010-12345678", "0571-8765432": "0571-8765432",
        "(0571) 87654321": "0571-87654321", "021-12345678 转 802": "021-12345678-802",
        "０２１-１２３４５６７８": "021-12345678"}
BAD = ["12345678901234567890", "1380013800", "138001380001", "23800138000", "12",
       "010-123456", "010-123456789", "12345678", "abc-def", "0000", "+1 415 555 0100"]


@pytest.mark.parametrize("typed,stored", list(GOOD.items()))
def test_mobiles_and_landlines_are_accepted_in_one_spelling(typed, stored):
    from showroom.phones import clean_phone

    assert clean_phone(typed) == stored


@pytest.mark.parametrize("typed", BAD)
def test_other_numbers_are_refused(typed):
    from showroom.phones import clean_phone

    assert clean_phone(typed) is None


def test_a_20_digit_phone_is_refused_on_screen_and_over_the_api(app, client, login_as,
                                                                api_headers):
    login_as("reception")
    resp = client.post("/customers/register", data={"name": "二十位", "phone": "1" * 20,
                                                     "kind": "wholesale"})
    assert resp.status_code == 422
    assert "座机" in resp.get_data(as_text=True)  # "a mainland mobile … or a landline …"
    resp = client.post("/reception/visits/register",
                       data={"name": "二十位", "phone": "1" * 20, "kind": "wholesale"})
    assert resp.status_code == 422 and "座机" in resp.get_data(as_text=True)
    resp = client.post("/api/v1/customers", headers=api_headers("reception"),
                       json={"name": "二十位", "phone": "1" * 20, "kind": "wholesale"})
    assert resp.status_code == 422
    assert "landline" in resp.get_json()["errors"]["phone"]  # the API speaks English
    with app.app_context():
        assert db.session.scalar(select(Customer).where(Customer.name == "二十位")) is None


def test_a_landline_is_stored_in_one_spelling_and_found_by_it(app, client, api_headers):
    headers = api_headers("reception")
    resp = client.post("/api/v1/customers", headers=headers,
                       json={"name": "座机客户", "phone": "0571 8765 4321", "kind": "wholesale"})
    assert resp.status_code == 201, resp.get_data(as_text=True)
    assert resp.get_json()["phone"] == "0571-87654321"
    found = client.get("/api/v1/customers", query_string={"q": "057187654321"},
                       headers=api_headers("clerk")).get_json()["items"]
    assert [i["name"] for i in found] == ["座机客户"]


def test_factories_and_the_demo_seed_make_valid_phones(app):
    import random

    from showroom.demo_data import customers
    from showroom.phones import clean_phone

    assert all(clean_phone(c["phone"]) == c["phone"] for c in customers(random.Random(7), 200))
    with app.app_context():
        made = [factories.customer().phone for _ in range(30)]
        assert all(clean_phone(p) == p for p in made)
