"""The OpenAPI document: 3.1, generated from the route registry, covering API.md."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from api_support import API

from showroom.api.registry import ROUTES

IMPLEMENTED = {  # API.md's v1 table, the part this API serves (packing and shipping are not yet)
    "POST /auth/token", "POST /products", "GET /products", "GET /products/by-barcode/{}",
    "POST /stock/receipts", "POST /customers", "GET /customers", "GET /customers/{}",
    "PATCH /customers/{}", "GET /customers/{}/ledger", "POST /visits", "POST /visits/{}/assign",
    "POST /visits/{}/leave", "POST /orders", "GET /orders/{}", "POST /orders/{}/lines",
    "PATCH /orders/{}/lines/{}", "DELETE /orders/{}/lines/{}", "POST /orders/{}/submit",
    "POST /orders/{}/settle", "POST /wishes", "GET /wishes", "GET /print-jobs",
    "POST /print-jobs/{}/reprint",
    # beyond the table
    "POST /orders/{}/returns", "POST /auth/logout", "GET /auth/me",
}
API_MD = Path(__file__).resolve().parents[3] / "shared" / "API.md"


def _norm(method: str, path: str) -> str:
    return f"{method.upper()} {re.sub(r'{[^}]*}', '{}', path.removeprefix(API))}"


def _documented(doc: dict[str, Any]) -> set[str]:
    return {_norm(m, p) for p, ops in doc["paths"].items() for m in ops}


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def test_document_is_openapi_31_with_every_registered_route(client):
    resp = client.get(f"{API}/openapi.json")
    assert resp.status_code == 200
    doc = resp.get_json()
    assert doc["openapi"] == "3.1.0"
    assert doc["info"]["title"] and doc["info"]["version"]
    documented = _documented(doc)
    for route in ROUTES:
        assert _norm(route.method, API + route.path) in documented
    assert len(documented) == len(ROUTES) + 1  # + the document itself
    for path, ops in doc["paths"].items():
        assert path.startswith(API)
        for method, op in ops.items():
            assert method in {"get", "post", "patch", "delete", "put"}
            assert op["responses"], (method, path)
            assert op["operationId"] and op["summary"]
            ok = [c for c in op["responses"] if c.startswith("2")]
            assert len(ok) == 1
            for param in re.findall(r"{(\w+)}", path):
                assert any(p["in"] == "path" and p["name"] == param and p["required"]
                           for p in op["parameters"]), (path, param)
    schemas = doc["components"]["schemas"]
    for ref in _refs(doc):
        assert ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[1] in schemas


def test_document_lists_every_implemented_api_md_path(client):
    documented = _documented(client.get(f"{API}/openapi.json").get_json())
    assert IMPLEMENTED <= documented
    if API_MD.exists():
        # the v1 minimum table; the "v1 additions" arrive with their own issues
        minimum = API_MD.read_text(encoding="utf-8").split("## v1 additions")[0]
        table = re.findall(r"^\| (GET|POST|PATCH|DELETE|PUT) (/api/v1/[^ ?|]+)", minimum,
                           flags=re.M)
        assert len(table) > 20
        wanted = {_norm(m, p) for m, p in table}
        assert wanted <= documented, wanted - documented


def test_operations_describe_auth_money_and_problems(client):
    doc = client.get(f"{API}/openapi.json").get_json()
    settle = doc["paths"][f"{API}/orders/{{order_id}}/settle"]["post"]
    assert settle["security"] == [{"bearerAuth": []}]
    assert {"401", "403", "404", "409", "422"} <= set(settle["responses"])
    assert "application/problem+json" in settle["responses"]["422"]["content"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header"
               for p in settle["parameters"])
    payment = doc["components"]["schemas"]["PaymentIn"]
    assert payment["properties"]["amount"]["type"] == "string"
    assert payment["properties"]["amount"]["pattern"]
    token = doc["paths"][f"{API}/auth/token"]["post"]
    assert token["security"] == [] and "423" in token["responses"]
    patch = doc["paths"][f"{API}/orders/{{order_id}}/lines/{{line_id}}"]["patch"]
    assert any(p["name"] == "If-Match" for p in patch["parameters"])
    search = doc["paths"][f"{API}/products"]["get"]
    assert [p["name"] for p in search["parameters"] if p["in"] == "query"] == ["q"]
    assert doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_reference_page_shows_every_operation_and_the_conventions(client):
    doc = client.get(f"{API}/openapi.json").get_json()
    page = client.get(f"{API}/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    for path, ops in doc["paths"].items():
        for method in ops:
            assert f"{method.upper()} {path}" in html, (method, path)
    assert "Idempotency-Key" in html and "problem+json" in html
    assert "payments" in html  # the settle body's fields are listed
