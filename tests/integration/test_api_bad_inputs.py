"""Bad input of every kind, endpoint by endpoint: always a 4xx problem+json with a usable
detail (and the offending field named), never a 500, and the database unchanged.

The snapshot compares the row count of every table, every customer's balance and every
product's on-hand before and after the request.
"""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

import pytest
from api_support import API, assert_problem, seed_world, snapshot

NO_BODY = object()


@dataclass(frozen=True)
class Raw:
    data: str
    content_type: str | None = "application/json"


@dataclass(frozen=True)
class Bad:
    id: str
    method: str
    path: str  # formatted with the seeded world: {open}, {open_line}, {customer} …
    role: str | None  # None: no token at all
    status: int
    field: str | None = None
    body: Any = NO_BODY  # JSON value, Raw, or a function of the world
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    query: dict[str, str] | None = None


def product(**over: Any) -> dict[str, Any]:
    return {"code": "NEW-1", "barcode": "6911111111111", "name": "新品",
            "price_wholesale": "12.50", "price_franchise": "11.00"} | over


def customer(**over: Any) -> dict[str, Any]:
    return {"name": "新客户", "phone": "13811112222", "kind": "wholesale"} | over


def pay(*payments: dict[str, Any]) -> dict[str, Any]:
    return {"payments": list(payments)}


CASH_TOTAL = {"method": "cash", "amount": "101.00"}  # the awaiting order's total
K81 = "k" * 81

CASES = [
    # --- POST /auth/token
    Bad("token-invalid-json", "POST", "/auth/token", None, 400, body=Raw('{"staff_no": "1"')),
    Bad("token-nan", "POST", "/auth/token", None, 400, body=Raw('{"staff_no": NaN, "pin": "1"}')),
    Bad("token-form-encoded", "POST", "/auth/token", None, 415,
        body=Raw("staff_no=1&pin=2", "application/x-www-form-urlencoded")),
    Bad("token-list-body", "POST", "/auth/token", None, 422, "body", body=[1, 2]),
    Bad("token-missing-pin", "POST", "/auth/token", None, 422, "pin", body={"staff_no": "9001"}),
    Bad("token-pin-number", "POST", "/auth/token", None, 422, "pin",
        body={"staff_no": "9001", "pin": 246810}),
    Bad("token-staff-no-oversize", "POST", "/auth/token", None, 422, "staff_no",
        body={"staff_no": "1" * 21, "pin": "246810"}),
    Bad("token-station-oversize", "POST", "/auth/token", None, 422, "station",
        body={"staff_no": "9001", "pin": "246810", "station": "s" * 41}),
    Bad("token-nul-in-staff-no", "POST", "/auth/token", None, 422, "staff_no",
        body={"staff_no": "90\x0001", "pin": "246810"}),
    # --- POST /products
    Bad("product-missing-name", "POST", "/products", "manager", 422, "name",
        body={k: v for k, v in product().items() if k != "name"}),
    Bad("product-float-price", "POST", "/products", "manager", 422, "price_wholesale",
        body=product(price_wholesale=12.5)),
    Bad("product-3-decimal-price", "POST", "/products", "manager", 422, "price_wholesale",
        body=product(price_wholesale="12.345")),
    Bad("product-negative-price", "POST", "/products", "manager", 422, "price_franchise",
        body=product(price_franchise="-1.00")),
    Bad("product-integer-price", "POST", "/products", "manager", 422, "price_wholesale",
        body=product(price_wholesale=12)),
    Bad("product-price-letters", "POST", "/products", "manager", 422, "price_wholesale",
        body=product(price_wholesale="12abc")),
    Bad("product-price-huge", "POST", "/products", "manager", 422, "price_wholesale",
        body=product(price_wholesale="9999999999999.00")),
    Bad("product-code-oversize", "POST", "/products", "manager", 422, "code",
        body=product(code="C" * 41)),
    Bad("product-code-number", "POST", "/products", "manager", 422, "code", body=product(code=123)),
    Bad("product-name-blank", "POST", "/products", "manager", 422, "name", body=product(name="  ")),
    Bad("product-care-note-oversize", "POST", "/products", "manager", 422, "care_note",
        body=product(care_note="注" * 2001)),
    Bad("product-unknown-area", "POST", "/products", "manager", 422, "area",
        body=product(area="ZZ")),
    Bad("product-duplicate-code", "POST", "/products", "manager", 409,
        body=product(code="SL-0001")),
    Bad("product-duplicate-barcode", "POST", "/products", "manager", 409,
        body=product(barcode="6900000000011")),
    Bad("product-wrong-role", "POST", "/products", "clerk", 403, body=product()),
    Bad("product-no-token", "POST", "/products", None, 401, body=product()),
    Bad("product-invalid-json", "POST", "/products", "manager", 400, body=Raw("{'code': 1}")),
    Bad("product-text-plain", "POST", "/products", "manager", 415,
        body=Raw(json.dumps(product()), "text/plain")),
    Bad("product-oversize-body", "POST", "/products", "manager", 413,
        body=Raw(json.dumps(product(care_note="x" * 300_000)))),
    # --- GET /products, /products/by-barcode/{barcode}
    Bad("search-q-oversize", "GET", "/products", "clerk", 422, "q", query={"q": "x" * 61}),
    Bad("search-q-control-char", "GET", "/products", "clerk", 422, "q", query={"q": "a\x00b"}),
    Bad("search-no-token", "GET", "/products", None, 401, query={"q": "SL"}),
    Bad("barcode-unknown", "GET", "/products/by-barcode/6999999999999", "clerk", 404),
    Bad("barcode-oversize", "GET", "/products/by-barcode/" + "9" * 65, "clerk", 404),
    # --- POST /stock/receipts
    Bad("receipt-empty-lines", "POST", "/stock/receipts", "manager", 422, "lines",
        body={"lines": []}),
    Bad("receipt-missing-lines", "POST", "/stock/receipts", "manager", 422, "lines", body={}),
    Bad("receipt-qty-zero", "POST", "/stock/receipts", "manager", 422, "lines[0].qty",
        body={"lines": [{"product_code": "SL-0001", "qty": 0}]}),
    Bad("receipt-qty-negative", "POST", "/stock/receipts", "manager", 422, "lines[0].qty",
        body={"lines": [{"product_code": "SL-0001", "qty": -3}]}),
    Bad("receipt-qty-string", "POST", "/stock/receipts", "manager", 422, "lines[0].qty",
        body={"lines": [{"product_code": "SL-0001", "qty": "5"}]}),
    Bad("receipt-qty-float", "POST", "/stock/receipts", "manager", 422, "lines[0].qty",
        body={"lines": [{"product_code": "SL-0001", "qty": 1.5}]}),
    Bad("receipt-qty-bool", "POST", "/stock/receipts", "manager", 422, "lines[0].qty",
        body={"lines": [{"product_code": "SL-0001", "qty": True}]}),
    Bad("receipt-qty-too-large", "POST", "/stock/receipts", "manager", 422, "lines[0].qty",
        body={"lines": [{"product_code": "SL-0001", "qty": 100_001}]}),
    Bad("receipt-unknown-code", "POST", "/stock/receipts", "manager", 422, "lines",
        body={"lines": [{"product_code": "SL-0001", "qty": 1}, {"product_code": "NOPE", "qty": 1}]}),
    Bad("receipt-lines-not-list", "POST", "/stock/receipts", "manager", 422, "lines",
        body={"lines": "SL-0001"}),
    Bad("receipt-line-not-object", "POST", "/stock/receipts", "manager", 422, "lines[0]",
        body={"lines": [5]}),
    Bad("receipt-wrong-role", "POST", "/stock/receipts", "cashier", 403,
        body={"lines": [{"product_code": "SL-0001", "qty": 1}]}),
    Bad("receipt-bad-idempotency-key", "POST", "/stock/receipts", "manager", 422,
        "Idempotency-Key", body={"lines": [{"product_code": "SL-0001", "qty": 1}]},
        headers={"Idempotency-Key": K81}),
    # --- customers
    Bad("customer-missing-phone", "POST", "/customers", "reception", 422, "phone",
        body={"name": "张三", "kind": "wholesale"}),
    Bad("customer-bad-kind", "POST", "/customers", "reception", 422, "kind",
        body=customer(kind="retail")),
    Bad("customer-name-oversize", "POST", "/customers", "reception", 422, "name",
        body=customer(name="名" * 61)),
    Bad("customer-name-number", "POST", "/customers", "reception", 422, "name",
        body=customer(name=5)),
    Bad("customer-phone-letters", "POST", "/customers", "reception", 422, "phone",
        body=customer(phone="abc-def")),
    Bad("customer-address-oversize", "POST", "/customers", "cashier", 422, "address",
        body=customer(address="址" * 201)),
    Bad("customer-wrong-role", "POST", "/customers", "clerk", 403, body=customer()),
    Bad("customer-search-q-oversize", "GET", "/customers", "clerk", 422, "q",
        query={"q": "x" * 61}),
    Bad("customer-unknown-id", "GET", "/customers/999999", "clerk", 404),
    Bad("customer-id-out-of-range", "GET", "/customers/99999999999", "clerk", 404),
    Bad("customer-patch-empty", "PATCH", "/customers/{customer}", "reception", 422, "body",
        body={}),
    Bad("customer-patch-bad-kind", "PATCH", "/customers/{customer}", "reception", 422, "kind",
        body={"kind": "vip"}),
    Bad("customer-patch-blank-name", "PATCH", "/customers/{customer}", "reception", 422, "name",
        body={"name": ""}),
    Bad("customer-patch-unknown", "PATCH", "/customers/999999", "reception", 404,
        body={"name": "某人"}),
    Bad("customer-patch-wrong-role", "PATCH", "/customers/{customer}", "packer", 403,
        body={"name": "某人"}),
    Bad("ledger-wrong-role", "GET", "/customers/{customer}/ledger", "clerk", 403),
    Bad("ledger-unknown", "GET", "/customers/999999/ledger", "cashier", 404),
    # --- visits
    Bad("visit-missing-customer", "POST", "/visits", "reception", 422, "customer_id", body={}),
    Bad("visit-customer-id-string", "POST", "/visits", "reception", 422, "customer_id",
        body={"customer_id": "1"}),
    Bad("visit-customer-id-zero", "POST", "/visits", "reception", 422, "customer_id",
        body={"customer_id": 0}),
    Bad("visit-unknown-customer", "POST", "/visits", "reception", 422, "customer_id",
        body={"customer_id": 999_999}),
    Bad("visit-locker-oversize", "POST", "/visits", "reception", 422, "locker_no",
        body=lambda w: {"customer_id": w["other_customer"], "locker_no": "L" * 11}),
    Bad("visit-customer-already-in", "POST", "/visits", "reception", 409,
        body=lambda w: {"customer_id": w["customer"]}),
    Bad("visit-locker-taken", "POST", "/visits", "reception", 409, "locker_no",
        body=lambda w: {"customer_id": w["other_customer"], "locker_no": "L1"}),
    Bad("visit-wrong-role", "POST", "/visits", "clerk", 403,
        body=lambda w: {"customer_id": w["other_customer"]}),
    Bad("assign-unknown-clerk", "POST", "/visits/{visit}/assign", "reception", 422,
        "clerk_staff_no", body={"clerk_staff_no": "nobody"}),
    Bad("assign-missing", "POST", "/visits/{visit}/assign", "reception", 422, "clerk_staff_no",
        body={}),
    Bad("assign-oversize", "POST", "/visits/{visit}/assign", "reception", 422, "clerk_staff_no",
        body={"clerk_staff_no": "9" * 21}),
    Bad("assign-unknown-visit", "POST", "/visits/999999/assign", "reception", 404,
        body=lambda w: {"clerk_staff_no": w["clerk_no"]}),
    Bad("leave-key-not-back", "POST", "/visits/{visit}/leave", "reception", 409,
        "locker_key_returned", body={"locker_key_returned": False}),
    Bad("leave-string-bool", "POST", "/visits/{visit}/leave", "reception", 422,
        "locker_key_returned", body={"locker_key_returned": "yes"}),
    Bad("leave-missing", "POST", "/visits/{visit}/leave", "reception", 422,
        "locker_key_returned", body={}),
    Bad("leave-unknown-visit", "POST", "/visits/999999/leave", "reception", 404,
        body={"locker_key_returned": True}),
    # --- orders
    Bad("order-missing-customer", "POST", "/orders", "clerk", 422, "customer_id", body={}),
    Bad("order-bad-channel", "POST", "/orders", "clerk", 422, "channel",
        body=lambda w: {"customer_id": w["customer"], "channel": "fax"}),
    Bad("order-unknown-customer", "POST", "/orders", "clerk", 422, "customer_id",
        body={"customer_id": 999_999}),
    Bad("order-unknown-visit", "POST", "/orders", "clerk", 422, "visit_id",
        body=lambda w: {"customer_id": w["customer"], "visit_id": 999_999}),
    Bad("order-customer-id-huge", "POST", "/orders", "clerk", 422, "customer_id",
        body={"customer_id": 2**40}),
    Bad("order-wrong-role", "POST", "/orders", "cashier", 403,
        body=lambda w: {"customer_id": w["customer"]}),
    Bad("order-get-unknown", "GET", "/orders/999999", "clerk", 404),
    Bad("line-unknown-barcode", "POST", "/orders/{open}/lines", "clerk", 422, "barcode",
        body={"barcode": "6999999999999"}),
    Bad("line-unknown-code", "POST", "/orders/{open}/lines", "clerk", 422, "product_code",
        body={"product_code": "NOPE-1"}),
    Bad("line-neither", "POST", "/orders/{open}/lines", "clerk", 422, "barcode", body={"qty": 1}),
    Bad("line-both", "POST", "/orders/{open}/lines", "clerk", 422, "barcode",
        body={"barcode": "6900000000011", "product_code": "SL-0002"}),
    Bad("line-qty-zero", "POST", "/orders/{open}/lines", "clerk", 422, "qty",
        body={"product_code": "SL-0002", "qty": 0}),
    Bad("line-qty-negative", "POST", "/orders/{open}/lines", "clerk", 422, "qty",
        body={"product_code": "SL-0002", "qty": -1}),
    Bad("line-qty-string", "POST", "/orders/{open}/lines", "clerk", 422, "qty",
        body={"product_code": "SL-0002", "qty": "2"}),
    Bad("line-qty-float", "POST", "/orders/{open}/lines", "clerk", 422, "qty",
        body={"product_code": "SL-0002", "qty": 2.0}),
    Bad("line-over-stock", "POST", "/orders/{open}/lines", "clerk", 409,
        body={"product_code": "SL-0003"}),
    Bad("line-barcode-oversize", "POST", "/orders/{open}/lines", "clerk", 422, "barcode",
        body={"barcode": "6" * 65}),
    Bad("line-wrong-role", "POST", "/orders/{open}/lines", "cashier", 403,
        body={"product_code": "SL-0002"}),
    Bad("line-stale-version", "POST", "/orders/{open}/lines", "clerk", 409,
        body={"product_code": "SL-0002", "version": 1}),
    Bad("line-garbage-if-match", "POST", "/orders/{open}/lines", "clerk", 422, "If-Match",
        body={"product_code": "SL-0002"}, headers={"If-Match": "abc"}),
    Bad("line-version-disagrees", "POST", "/orders/{open}/lines", "clerk", 422, "version",
        body={"product_code": "SL-0002", "version": 2}, headers={"If-Match": '"3"'}),
    Bad("line-unknown-order", "POST", "/orders/999999/lines", "clerk", 404,
        body={"product_code": "SL-0002"}),
    Bad("line-settled-order", "POST", "/orders/{settled}/lines", "clerk", 409,
        body={"product_code": "SL-0002"}),
    Bad("patch-qty-zero", "PATCH", "/orders/{open}/lines/{open_line}", "clerk", 422, "qty",
        body={"qty": 0}),
    Bad("patch-missing-qty", "PATCH", "/orders/{open}/lines/{open_line}", "clerk", 422, "qty",
        body={"version": 2}),
    Bad("patch-unknown-line", "PATCH", "/orders/{open}/lines/999999", "clerk", 404,
        body={"qty": 1}),
    Bad("patch-line-of-another-order", "PATCH", "/orders/{open}/lines/{awaiting_line}", "clerk",
        404, body={"qty": 1}),
    Bad("patch-line-id-out-of-range", "PATCH", "/orders/{open}/lines/4294967296", "clerk", 404,
        body={"qty": 1}),
    Bad("patch-stale", "PATCH", "/orders/{open}/lines/{open_line}", "clerk", 409,
        body={"qty": 1}, headers={"If-Match": '"1"'}),
    Bad("patch-over-stock", "PATCH", "/orders/{open}/lines/{open_line}", "clerk", 409,
        body={"qty": 11}),
    Bad("delete-unknown-line", "DELETE", "/orders/{open}/lines/999999", "clerk", 404),
    Bad("delete-stale", "DELETE", "/orders/{open}/lines/{open_line}", "clerk", 409,
        headers={"If-Match": 'W/"1"'}),
    Bad("delete-wrong-role", "DELETE", "/orders/{open}/lines/{open_line}", "reception", 403),
    Bad("submit-empty-order", "POST", "/orders/{empty}/submit", "clerk", 409),
    Bad("submit-already-awaiting", "POST", "/orders/{awaiting}/submit", "clerk", 409),
    Bad("submit-stale", "POST", "/orders/{open}/submit", "clerk", 409, body={"version": 1}),
    Bad("submit-version-negative", "POST", "/orders/{open}/submit", "clerk", 422, "version",
        body={"version": -1}),
    # --- POST /orders/{id}/settle
    Bad("settle-missing-payments", "POST", "/orders/{awaiting}/settle", "cashier", 422,
        "payments", body={}),
    Bad("settle-empty-payments", "POST", "/orders/{awaiting}/settle", "cashier", 422,
        "payments", body=pay()),
    Bad("settle-payments-not-list", "POST", "/orders/{awaiting}/settle", "cashier", 422,
        "payments", body={"payments": CASH_TOTAL}),
    Bad("settle-float-amount", "POST", "/orders/{awaiting}/settle", "cashier", 422,
        "payments[0].amount", body=pay({"method": "cash", "amount": 101.0})),
    Bad("settle-3-decimals", "POST", "/orders/{awaiting}/settle", "cashier", 422,
        "payments[0].amount", body=pay({"method": "cash", "amount": "101.001"})),
    Bad("settle-negative-amount", "POST", "/orders/{awaiting}/settle", "cashier", 422,
        "payments[0].amount", body=pay({"method": "cash", "amount": "-101.00"})),
    Bad("settle-zero-amount", "POST", "/orders/{awaiting}/settle", "cashier", 422,
        "payments[1].amount", body=pay(CASH_TOTAL, {"method": "wechat", "amount": "0.00"})),
    Bad("settle-bad-method", "POST", "/orders/{awaiting}/settle", "cashier", 422,
        "payments[0].method", body=pay({"method": "bitcoin", "amount": "101.00"})),
    Bad("settle-sum-mismatch", "POST", "/orders/{awaiting}/settle", "cashier", 422, "payments",
        body=pay({"method": "cash", "amount": "100.00"})),
    Bad("settle-tendered-non-cash", "POST", "/orders/{awaiting}/settle", "cashier", 422,
        "payments[0].tendered", body=pay({"method": "wechat", "amount": "101.00",
                                          "tendered": "200.00"})),
    Bad("settle-tendered-less", "POST", "/orders/{awaiting}/settle", "cashier", 422,
        "payments[0].tendered", body=pay(CASH_TOTAL | {"tendered": "100.00"})),
    Bad("settle-eleven-payments", "POST", "/orders/{awaiting}/settle", "cashier", 422,
        "payments", body=pay(*[{"method": "cash", "amount": "1.00"}] * 11)),
    Bad("settle-open-order", "POST", "/orders/{open}/settle", "cashier", 409,
        body=pay({"method": "cash", "amount": "240.00"})),
    Bad("settle-settled-order", "POST", "/orders/{settled}/settle", "cashier", 409,
        body=pay({"method": "cash", "amount": "120.00"})),
    Bad("settle-unknown-order", "POST", "/orders/999999/settle", "cashier", 404,
        body=pay(CASH_TOTAL)),
    Bad("settle-wrong-role", "POST", "/orders/{awaiting}/settle", "clerk", 403,
        body=pay(CASH_TOTAL)),
    Bad("settle-bad-idempotency-key", "POST", "/orders/{awaiting}/settle", "cashier", 422,
        "Idempotency-Key", body=pay(CASH_TOTAL), headers={"Idempotency-Key": K81}),
    # --- POST /orders/{id}/returns
    Bad("return-empty", "POST", "/orders/{awaiting}/returns", "cashier", 422, "lines",
        body={"lines": []}),
    Bad("return-qty-zero", "POST", "/orders/{awaiting}/returns", "cashier", 422, "lines[0].qty",
        body=lambda w: {"lines": [{"line_id": w["awaiting_line"], "qty": 0}]}),
    Bad("return-line-id-string", "POST", "/orders/{awaiting}/returns", "cashier", 422,
        "lines[0].line_id", body={"lines": [{"line_id": "1", "qty": 1}]}),
    Bad("return-too-many", "POST", "/orders/{awaiting}/returns", "cashier", 422, "qty",
        body=lambda w: {"lines": [{"line_id": w["awaiting_line"], "qty": 3}]}),
    Bad("return-unknown-line", "POST", "/orders/{awaiting}/returns", "cashier", 422, "lines",
        body=lambda w: {"lines": [{"line_id": w["awaiting_line"], "qty": 1},
                                  {"line_id": 999_999, "qty": 1}]}),
    Bad("return-open-order", "POST", "/orders/{open}/returns", "cashier", 409,
        body=lambda w: {"lines": [{"line_id": w["open_line"], "qty": 1}]}),
    Bad("return-wrong-role", "POST", "/orders/{awaiting}/returns", "clerk", 403,
        body=lambda w: {"lines": [{"line_id": w["awaiting_line"], "qty": 1}]}),
    # --- wishes
    Bad("wish-neither", "POST", "/wishes", "clerk", 422, "product_code",
        body=lambda w: {"customer_id": w["customer"], "qty": 1}),
    Bad("wish-unknown-code", "POST", "/wishes", "clerk", 422, "product_code",
        body=lambda w: {"customer_id": w["customer"], "product_code": "NOPE-9"}),
    Bad("wish-qty-zero", "POST", "/wishes", "clerk", 422, "qty",
        body=lambda w: {"customer_id": w["customer"], "product_code": "SL-0003", "qty": 0}),
    Bad("wish-description-oversize", "POST", "/wishes", "reception", 422, "description",
        body=lambda w: {"customer_id": w["customer"], "description": "想" * 201}),
    Bad("wish-unknown-customer", "POST", "/wishes", "clerk", 422, "customer_id",
        body={"customer_id": 999_999, "product_code": "SL-0003"}),
    Bad("wish-unknown-order", "POST", "/wishes", "clerk", 422, "order_id",
        body=lambda w: {"customer_id": w["customer"], "product_code": "SL-0003",
                        "order_id": 999_999}),
    Bad("wish-wrong-role", "POST", "/wishes", "cashier", 403,
        body=lambda w: {"customer_id": w["customer"], "product_code": "SL-0003"}),
    Bad("wishes-code-oversize", "GET", "/wishes", "clerk", 422, "product_code",
        query={"product_code": "C" * 41}),
    # --- print jobs, logout, unknown paths
    Bad("jobs-bad-status", "GET", "/print-jobs", "clerk", 422, "status",
        query={"status": "bogus"}),
    Bad("jobs-order-id-text", "GET", "/print-jobs", "clerk", 422, "order_id",
        query={"order_id": "abc"}),
    Bad("jobs-order-id-negative", "GET", "/print-jobs", "clerk", 422, "order_id",
        query={"order_id": "-1"}),
    Bad("reprint-unknown", "POST", "/print-jobs/999999/reprint", "clerk", 404),
    Bad("reprint-no-token", "POST", "/print-jobs/{job}/reprint", None, 401),
    Bad("logout-no-token", "POST", "/auth/logout", None, 401),
    Bad("logout-garbage-token", "POST", "/auth/logout", None, 401,
        headers={"Authorization": "Bearer not-a-token"}),
    Bad("unknown-path", "GET", "/nothing-here", "clerk", 404),
    Bad("wrong-method", "PUT", "/orders", "clerk", 405, body={}),
]


def send(client: Any, case: Bad, world: dict[str, Any], headers: dict[str, str]) -> Any:
    kwargs: dict[str, Any] = {"headers": headers, "query_string": case.query}
    body = case.body(world) if callable(case.body) else case.body
    if isinstance(body, Raw):
        kwargs["data"] = body.data.encode("utf-8")
        if body.content_type:
            kwargs["content_type"] = body.content_type
    elif body is not NO_BODY:
        kwargs["json"] = body
    return client.open(API + case.path.format(**world), method=case.method, **kwargs)


def test_the_table_is_large_and_ids_are_unique():
    assert len(CASES) >= 150
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_refused_and_writes_nothing(app, client, api_headers, case: Bad):
    world = seed_world(app)
    headers = (api_headers(case.role) if case.role else {}) | case.headers
    before = snapshot(app)
    resp = send(client, case, world, headers)
    assert_problem(resp, case.status, case.field)
    assert snapshot(app) == before
