"""One text rule for screens and API (issue 9): NUL, ESC, a right-to-left override and a
zero-width space, typed into every text field of every screen form and every JSON body,
are refused with the rule's message — never a 500 (PostgreSQL cannot store NUL), never
a write.

Screens: every POST route of the URL map, posted as a manager (every role check passes)
against a small world where each route finds its objects in a state it accepts; the
forms a view binds to the request are recorded, so the test sees which text fields each
route has and that each of them carries the rule's message after validation. The API:
every string field of every request body and query model in the route registry."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any, get_args, get_origin

import factories
import pytest
from api_support import seed_world, snapshot
from flask import Flask
from pydantic import BaseModel
from sqlalchemy import func, select
from wtforms import Field

from showroom import create_app
from showroom.extensions import db
from showroom.forms import Form, text_fields
from showroom.text_rule import problem

BAD = {"nul": "a\x00b", "esc": "a\x1b[2Jb", "rlo": "a\u202eb", "zwsp": "a\u200bb"}
APP_FOR_LISTING: Flask = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def screen_posts() -> list[str]:
    return sorted(r.endpoint for r in APP_FOR_LISTING.url_map.iter_rules()
                  if "POST" in r.methods and not r.rule.startswith("/api/")
                  and not r.endpoint.startswith("auth."))  # sign-in: showroom/auth's owner


def _world(app: Any) -> dict[str, Any]:
    """Objects in the states the screens act on, as ids."""
    from shipping_factories import demo_rates, packed_order

    from showroom.customers.services import post_entry
    from showroom.orders.services import order_lines
    from showroom.packing.services import add_box
    from showroom.picking.models import RestockTask
    from showroom.picking.services import record_wish, report_issue
    from showroom.printjobs.models import Printer
    from showroom.reception.inquiries import log_inquiry
    from showroom.shipping.models import CarrierRate
    from showroom.shipping.services import ship_order

    world = seed_world(app)
    with app.app_context():
        entry = post_entry(world["customer"], "opening", 1000)
        inquiry = log_inquiry(channel="phone", caller_name="来电", region="", phone="13700001111",
                              question="有货吗", reason="", staff_id=None)
        product = factories.product(code="SW-1", barcode="6900000009990", stock=5)
        wish = record_wish(world["customer"], product_code="SW-1", qty=1)
        issue = report_issue("SW-1", "defect", "断了", None)
        task = RestockTask(product_id=product.id, qty=1, order_id=world["settled"], status="open")
        db.session.add(task)
        box = add_box(world["settled"])
        demo_rates()
        packed = packed_order(name="待发货")
        shipped = packed_order(name="已发货")
        shipment = ship_order(shipped.id, carrier="sf_express", waybill="SF1234567890123",
                              fee="20.00", fee_payer="customer", boxes=2, staff_id=None)
        printer = Printer(name="p1", connection="tcp://192.168.1.50:9100", station="cashier-1",
                          paper_mm=80, chinese="gb18030", documents="", cutter=True,
                          drawer=False, enabled=True, status_reply="")
        db.session.add(printer)
        db.session.flush()
        rate = db.session.scalar(select(func.min(CarrierRate.id)))
        settled_line = order_lines(world["settled"])[0].id
        db.session.commit()
        return world | {"entry": entry.id, "inquiry": inquiry.id, "wish": wish.id,
                        "issue": issue.id, "task": task.id, "box": box.id,
                        "packed": packed.id, "shipment": shipment.id, "printer": printer.id,
                        "rate": rate, "settled_line": settled_line}


def _path_values(endpoint: str, world: dict[str, Any]) -> dict[str, int]:
    feature = endpoint.split(".", 1)[0]
    order = {"picking": world["open"], "settlement": world["awaiting"],
             "packing": world["settled"], "shipping": world["packed"]}.get(feature, world["open"])
    line = {"picking": world["open_line"], "packing": world["settled_line"]}.get(
        feature, world["awaiting_line"])
    return {"customer_id": world["customer"], "entry_id": world["entry"],
            "visit_id": world["visit"], "inquiry_id": world["inquiry"], "order_id": order,
            "line_id": line, "box_id": world["box"], "wish_id": world["wish"],
            "issue_id": world["issue"], "task_id": world["task"],
            "printer_id": world["printer"], "job_id": world["job"], "rate_id": world["rate"],
            "shipment_id": world["shipment"]}


@pytest.fixture
def bound_forms(monkeypatch: pytest.MonkeyPatch) -> list[Form]:
    """Every screen form a view builds from the request (formdata not switched off)."""
    seen: list[Form] = []
    original = Form.__init__

    def spy(self: Form, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        if (args[0] if args else kwargs.get("formdata", True)) is not None:
            seen.append(self)

    monkeypatch.setattr(Form, "__init__", spy)
    return seen


def _all_text_names() -> set[str]:
    """The names of every text field of every screen form."""
    names: set[str] = set()
    with APP_FOR_LISTING.test_request_context("/"):
        for cls in _subclasses(Form):
            try:
                form = cls(formdata=None, meta={"csrf": False})
            except TypeError:  # a form that needs arguments
                continue
            names.update(f.name for f in _candidates(form))
    return names | {"next", "version", "register_anyway", "reason", "note", "q"}


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _candidates(form: Any) -> Iterator[Field]:
    """Fields whose value is text once posted: text inputs, selects, radios, hidden."""
    from wtforms import FieldList, FormField, RadioField, SelectField, StringField

    for field in form:
        if isinstance(field, FormField):
            yield from _candidates(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                yield from _candidates(entry.form) if isinstance(entry, FormField) else [entry]
        elif isinstance(field, (StringField, SelectField, RadioField)):
            yield field


@pytest.mark.parametrize("endpoint", screen_posts())
def test_every_screen_form_refuses_the_characters(app, client, login_as, bound_forms,
                                                  endpoint):
    world = _world(app)
    login_as("manager")
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = _path_values(endpoint, world)
    with app.test_request_context():
        from flask import url_for

        url = url_for(endpoint, **{a: values[a] for a in rule.arguments})
    names = sorted(_all_text_names())
    checked = 0
    for kind, bad in BAD.items():
        before = snapshot(app)
        bound_forms.clear()
        resp = client.post(url, data={name: bad for name in names})
        assert resp.status_code < 500, (kind, resp.get_data(as_text=True)[:2000])
        fields = [f for form in bound_forms for f in text_fields(form)
                  if f.raw_data and f.raw_data[0] == bad]
        if not fields:
            continue  # a form without text (a button): nothing typed, nothing to refuse
        assert resp.status_code in (303, 400, 403, 404, 409, 422, 423), (kind, resp.status_code)
        assert snapshot(app) == before, (kind, endpoint)
        for field in fields:
            assert problem(bad) is not None
            assert any("U+" in str(e) for e in field.errors), (kind, field.name, field.errors)
            checked += 1
    if checked:
        assert checked % len(BAD) == 0


ABSTRACT = {"VisitFieldsForm"}  # only its subclasses are used


def test_the_sweep_reaches_every_form_with_text(app, client, login_as, bound_forms):
    """The sweep above is only as good as the forms it reaches: every screen form with a
    text field is bound by at least one POST route in that world."""
    world = _world(app)
    login_as("manager")
    names = sorted(_all_text_names())
    reached: set[str] = set()
    for endpoint in screen_posts():
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        values = _path_values(endpoint, world)
        with app.test_request_context():
            from flask import url_for

            url = url_for(endpoint, **{a: values[a] for a in rule.arguments})
        bound_forms.clear()
        client.post(url, data={name: BAD["nul"] for name in names})
        reached |= {type(f).__name__ for f in bound_forms
                    if any("U+0000" in str(e) for fld in text_fields(f) for e in fld.errors)}
    with APP_FOR_LISTING.test_request_context("/"):
        wanted = set()
        for cls in _subclasses(Form):
            if cls.__name__ in {"SearchForm"}:  # GET forms: the query-string rule below
                continue
            try:
                form = cls(formdata=None, meta={"csrf": False})
            except TypeError:
                continue
            if any(True for _ in _candidates(form)) and cls.__name__ not in ABSTRACT:
                wanted.add(cls.__name__)
    assert wanted - reached == set()


@pytest.mark.parametrize("url", ["/customers/", "/reception/visits/new", "/shipping/shipments",
                                 "/print-jobs/", "/picking/"])
@pytest.mark.parametrize("kind", list(BAD))
def test_screen_query_strings_refuse_the_characters(client, login_as, url, kind):
    login_as("manager")
    for name in ("q", "customer", "waybill", "station"):
        resp = client.get(url, query_string={name: BAD[kind]})
        assert resp.status_code == 422, (name, resp.status_code)
        assert "U+" in resp.get_data(as_text=True)


# --- the API -----------------------------------------------------------------------------

def _string_paths(model: type[BaseModel], prefix: tuple[Any, ...] = ()) -> Iterator[
        tuple[tuple[Any, ...], bool]]:
    """(path to a string field, whether it carries the text rule) for a request model,
    into lists of models."""
    for name, info in model.model_fields.items():
        inner = info.annotation
        if type(None) in get_args(inner):  # Optional[...]
            inner = next(a for a in get_args(inner) if a is not type(None))
        if get_origin(inner) is list:
            item = get_args(inner)[0]
            if isinstance(item, type) and issubclass(item, BaseModel):
                yield from _string_paths(item, (*prefix, name, 0))
        elif inner is str or str(inner).startswith("typing.Annotated[str"):
            metadata = [*info.metadata, *getattr(inner, "__metadata__", ())]
            yield (*prefix, name), any("_printable" in repr(m) for m in metadata)


def _nest(path: tuple[Any, ...], value: Any) -> Any:
    head, *rest = path
    inner = _nest(tuple(rest), value) if rest else value
    return [inner] if isinstance(head, int) else {head: inner}


def _api_cases() -> list[tuple[str, str, tuple[Any, ...], str, bool]]:
    from showroom.api.registry import ROUTES

    cases = []
    for route in ROUTES:
        for where, model in (("body", route.body), ("query", route.query)):
            if model is None:
                continue
            for path, ruled in _string_paths(model):
                cases.append((route.method, route.path, path, where, ruled))
    return cases


API_CASES = _api_cases()


def _key(path: tuple[Any, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@pytest.mark.parametrize("method,path,field,where,ruled", API_CASES,
                         ids=[f"{m} {p} {_key(f)}" for m, p, f, _w, _r in API_CASES])
def test_every_api_text_field_refuses_the_characters(app, client, api_headers, method, path,
                                                     field, where, ruled):
    world = _world(app)
    headers = api_headers("manager")
    ids = {"customer_id": world["customer"], "order_id": world["settled"],
           "line_id": world["open_line"], "job_id": world["job"], "visit_id": world["visit"]}
    url = "/api/v1" + path.format(**ids)
    for kind, bad in BAD.items():
        before = snapshot(app)
        if where == "query":
            resp = client.open(url, method=method, headers=headers,
                               query_string={field[0]: bad})
        else:
            resp = client.open(url, method=method, headers=headers, json=_nest(field, bad))
        assert resp.status_code in (400, 401, 404, 409, 422), (kind, resp.get_data(as_text=True))
        assert resp.mimetype == "application/problem+json"
        assert snapshot(app) == before
        body = resp.get_json()
        if ruled:  # Line / Para: the text rule's own message, naming the character
            assert resp.status_code == 422, body
            assert "U+" in body["errors"][_key(field)], body


def test_api_text_fields_name_the_character(client, api_headers):
    headers = api_headers("reception")
    for kind, bad in BAD.items():
        resp = client.post("/api/v1/customers", headers=headers,
                           json={"name": bad, "phone": "13800138000", "kind": "wholesale"})
        assert resp.status_code == 422
        assert "U+" in resp.get_json()["errors"]["name"], kind
