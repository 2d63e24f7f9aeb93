"""The customer file's shipping fields: e-mail, preferred carrier, notice language —
checked by the one customer-field check, on the screen and over the API."""
from __future__ import annotations

import factories
import pytest
from api_support import API, assert_problem

from showroom.customers.models import Customer
from showroom.customers.services import CARRIER_CODES, update_customer
from showroom.errors import ValidationFailed
from showroom.extensions import db
from showroom.shipping.models import CARRIERS


def test_carrier_codes_match_the_shipping_models():
    assert CARRIER_CODES == CARRIERS


def test_service_checks_every_shipping_field(ctx):
    c = factories.customer()
    update_customer(c, email=" wang@example.com ", preferred_carrier="sf_express",
                    notice_lang="en")
    assert (c.email, c.preferred_carrier, c.notice_lang) == ("wang@example.com", "sf_express", "en")
    update_customer(c, email="", preferred_carrier="")
    assert (c.email, c.preferred_carrier) == ("", "")
    with pytest.raises(ValidationFailed) as err:
        update_customer(c, email="not an address", preferred_carrier="ems", notice_lang="fr")
    assert set(err.value.errors) == {"email", "preferred_carrier", "notice_lang"}
    with pytest.raises(ValidationFailed):
        update_customer(c, email="a@" + "b" * 120 + ".cn")


def test_customer_screen_saves_the_shipping_fields(app, client, login_as):
    with app.app_context():
        cid = factories.customer(name="周老板").id
        db.session.commit()
    login_as("reception")
    page = client.get(f"/customers/{cid}").get_data(as_text=True)
    assert 'name="preferred_carrier"' in page and 'name="notice_lang"' in page
    form = {"name": "周老板", "phone": "13588889999", "kind": "wholesale",
            "address": "浙江省义乌市福田路88号", "region": "浙江 义乌",
            "email": "zhou@example.com", "preferred_carrier": "sto_express", "notice_lang": "en"}
    assert client.post(f"/customers/{cid}", data=form).status_code == 303
    bad = client.post(f"/customers/{cid}", data=form | {"email": "zhou@"})
    assert bad.status_code == 422 and "name@example.com" in bad.get_data(as_text=True)
    with app.app_context():
        c = db.session.get(Customer, cid)
        assert (c.email, c.preferred_carrier, c.notice_lang) == (
            "zhou@example.com", "sto_express", "en")


def test_api_takes_and_shows_the_shipping_fields(client, api_headers):
    desk = api_headers("reception")
    created = client.post(f"{API}/customers", headers=desk, json={
        "name": "王丽", "phone": "13800001234", "kind": "wholesale", "email": "wang@example.com",
        "preferred_carrier": "sf_express", "notice_lang": "en"})
    assert created.status_code == 201, created.get_data(as_text=True)
    body = created.get_json()
    assert (body["email"], body["preferred_carrier"], body["notice_lang"]) == (
        "wang@example.com", "sf_express", "en")
    patched = client.patch(f"{API}/customers/{body['id']}", headers=desk,
                           json={"preferred_carrier": "", "notice_lang": "zh"}).get_json()
    assert (patched["preferred_carrier"], patched["notice_lang"]) == ("", "zh")
    for field, value in (("email", "nope"), ("notice_lang", "fr"), ("preferred_carrier", "ems")):
        problem = assert_problem(client.patch(f"{API}/customers/{body['id']}", headers=desk,
                                              json={field: value}), 422)
        assert field in problem["errors"]
