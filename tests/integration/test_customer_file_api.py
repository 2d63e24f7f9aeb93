"""PATCH /api/v1/customers/{id} with the customer file's fields (API.md "Customer
service"): member, birthday (solar or lunar), gender, interests, level, owner_staff_no;
every bad field → 422 naming it, nothing written; roles; GET shows the file and the last
contact; the OpenAPI document lists the fields."""
from __future__ import annotations

from typing import Any

import factories
import pytest

from showroom.customers.models import Customer
from showroom.extensions import db
from showroom.reception.services import start_visit

API = "/api/v1"


@pytest.fixture
def cust(app: Any) -> dict[str, Any]:
    with app.app_context():
        c = factories.customer(name="周先生", phone="13955556666")
        clerk = factories.staff("clerk", staff_no="7702")
        db.session.commit()
        return {"id": c.id, "clerk_id": clerk.id}


def test_patch_the_file(app, client, api_headers, cust):
    h = api_headers("reception")
    resp = client.patch(f"{API}/customers/{cust['id']}", headers=h, json={
        "member": True, "birthday": "1975-03-08", "birthday_lunar": False, "gender": "m",
        "interests": "收藏银器", "level": "B", "owner_staff_no": "7702", "region": "广州"})
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert (body["member"], body["birthday"], body["gender"], body["level"],
            body["owner_staff_no"], body["region"]) == (True, "1975-03-08", "m", "B", "7702",
                                                         "广州")
    resp = client.patch(f"{API}/customers/{cust['id']}", headers=h,
                        json={"birthday": "08-15", "birthday_lunar": True})
    assert resp.get_json()["birthday"] == "08-15" and resp.get_json()["birthday_lunar"]
    resp = client.patch(f"{API}/customers/{cust['id']}", headers=h,
                        json={"owner_staff_no": "", "level": "", "birthday": ""})
    body = resp.get_json()
    assert (body["owner_staff_no"], body["level"], body["birthday"]) == (None, "", None)


@pytest.mark.parametrize("body,field", [
    ({"level": "D"}, "level"), ({"gender": "x"}, "gender"), ({"member": "yes"}, "member"),
    ({"birthday": "2020-13-01"}, "birthday"), ({"birthday": "15/08"}, "birthday"),
    ({"birthday": "02-30", "birthday_lunar": True}, "birthday"),
    ({"owner_staff_no": "0000"}, "owner_staff_no"), ({"interests": "x" * 501}, "interests"),
    ({"interests": "a\u200bb"}, "interests"), ({"birthday_lunar": 1}, "birthday_lunar"),
    ({"name": "新名字", "level": "Z"}, "level")])
def test_bad_fields_are_refused_and_nothing_is_written(app, client, api_headers, cust, body,
                                                       field):
    resp = client.patch(f"{API}/customers/{cust['id']}", headers=api_headers("cashier"),
                        json=body)
    assert resp.status_code == 422, resp.get_json()
    problem = resp.get_json()
    assert resp.headers["Content-Type"].startswith("application/problem+json")
    assert field in problem["errors"], problem
    with app.app_context():
        c = db.session.get(Customer, cust["id"])
        assert (c.name, c.level, c.gender, c.member, c.birthday) == ("周先生", "", "", False,
                                                                     None)


def test_a_retired_clerk_cannot_own_a_customer(app, client, api_headers, cust):
    with app.app_context():
        factories.staff("packer", staff_no="7703")
        db.session.commit()
    resp = client.patch(f"{API}/customers/{cust['id']}", headers=api_headers("manager"),
                        json={"owner_staff_no": "7703"})
    assert resp.status_code == 422 and "owner_staff_no" in resp.get_json()["errors"]


def test_roles(client, api_headers, cust):
    for role in ("clerk", "packer", "shipper"):
        resp = client.patch(f"{API}/customers/{cust['id']}", headers=api_headers(role),
                            json={"level": "A"})
        assert resp.status_code == 403
    assert client.patch(f"{API}/customers/{cust['id']}", headers=api_headers("manager"),
                        json={"level": "A"}).status_code == 200


def test_get_shows_the_file_and_last_contact_with_the_phone_masked_for_a_clerk(
        app, client, api_headers, cust):
    with app.app_context():
        start_visit(cust["id"])
        db.session.commit()
    body = client.get(f"{API}/customers/{cust['id']}/file",
                      headers=api_headers("clerk")).get_json()
    assert body["phone"] == "139****6666" and body["balance"] is None
    assert body["last_contact_at"] is not None and body["level"] == ""


def test_openapi_lists_the_file_fields(client):
    doc = client.get(f"{API}/openapi.json").get_json()
    schemas = doc["components"]["schemas"]
    patch = next(v for k, v in schemas.items() if k.startswith("CustomerPatch"))
    assert {"member", "birthday", "birthday_lunar", "gender", "interests", "level",
            "owner_staff_no"} <= set(patch["properties"])
