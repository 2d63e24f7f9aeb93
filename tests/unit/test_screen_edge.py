"""The screen edge (showroom/web/screen.py) on its own: a form that fails writes nothing,
a one-time token replays the first answer without running the work twice, a domain error
rolls back and is worded by its code with its own status, a failed commit drops the
success message, a refused PIN is still counted, and no view module commits itself."""
from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from flask import flash, get_flashed_messages, redirect
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired

from showroom.auth.models import LoginAttempt
from showroom.customers.models import Customer
from showroom.customers.services import register_customer
from showroom.errors import Conflict, NotFound, ValidationFailed
from showroom.extensions import db
from showroom.idempotency import IdempotencyRecord
from showroom.web.screen import OneTime, PinTry, Refusal, perform

ROOT = Path(__file__).resolve().parents[2]


class NameForm(FlaskForm):
    token = HiddenField()
    name = StringField(validators=[DataRequired()])


def _customers() -> int:
    return int(db.session.scalar(select(func.count()).select_from(Customer)) or 0)


@pytest.fixture
def edge(app: Any) -> Any:
    """A tiny screen on the real app: registers a customer through perform()."""
    calls: list[str] = []

    def register() -> Any:
        form = NameForm()
        mode = form.name.data or ""

        def work() -> Customer:
            calls.append(mode)
            made = register_customer(name=mode, phone="13800000000", kind="wholesale")
            if mode == "refuse":
                raise Conflict("a rule said no", errors={"name": "taken"})
            if mode == "missing":
                raise NotFound("none")
            return made

        def done(result: Any) -> Any:
            flash("saved", "success")
            return redirect(f"/done/{result['id'] if isinstance(result, dict) else result.id}")

        def refused(r: Refusal) -> Any:
            return f"refused:{r.code}:{r.message}:{sorted(r.errors)}", r.status

        once = OneTime("edge-test", mode, keep=lambda c: {"id": c.id}) \
            if form.token.data else None
        return perform(work, form=form, once=once, done=done, refused=refused,
                       messages={"conflict": _l("Worded by code."), "*": "any other"})

    app.add_url_rule("/edge-test", view_func=register, methods=["POST"])
    return calls


def test_invalid_form_is_422_with_field_errors_and_writes_nothing(app, client, edge):
    resp = client.post("/edge-test", data={"name": ""})
    assert resp.status_code == 422
    assert resp.get_data(as_text=True).startswith("refused:invalid-form:")
    assert "name" in resp.get_data(as_text=True)
    assert edge == []
    with app.app_context():
        assert _customers() == 0


def test_success_commits_once_and_answers_with_done(app, client, edge):
    resp = client.post("/edge-test", data={"name": "王丽华"})
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/done/")
    with app.app_context():
        assert _customers() == 1


def test_one_time_token_replays_the_first_answer_without_the_work(app, client, edge):
    token = str(uuid.uuid4())
    first = client.post("/edge-test", data={"name": "王丽华", "token": token})
    second = client.post("/edge-test", data={"name": "王丽华", "token": token})
    assert first.headers["Location"] == second.headers["Location"]
    assert edge == ["王丽华"]  # the work ran once
    with app.app_context():
        assert _customers() == 1
        assert db.session.get(IdempotencyRecord, token) is not None


def test_token_reused_for_different_input_is_refused_by_code(app, client, edge):
    token = str(uuid.uuid4())
    client.post("/edge-test", data={"name": "王丽华", "token": token})
    resp = client.post("/edge-test", data={"name": "李四", "token": token})
    assert resp.status_code == 409
    assert "idempotency-key-reused" in resp.get_data(as_text=True)
    with app.app_context():
        assert _customers() == 1


def test_domain_error_rolls_back_and_is_worded_by_its_code(app, client, edge):
    with client:
        resp = client.post("/edge-test", data={"name": "refuse"})
        assert resp.status_code == 409
        assert resp.get_data(as_text=True) == "refused:conflict:Worded by code.:['name']"
        assert get_flashed_messages(with_categories=True) == [("error", "Worded by code.")]
    with app.app_context():
        assert _customers() == 0  # the customer written before the refusal is gone


def test_not_found_is_a_404(app, client, edge):
    assert client.post("/edge-test", data={"name": "missing"}).status_code == 404
    with app.app_context():
        assert _customers() == 0


def test_failed_commit_refuses_and_drops_the_success_message(app, client, edge, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    def broken_commit() -> None:
        raise IntegrityError("INSERT", {}, Exception("unique"))

    monkeypatch.setattr(db.session, "commit", broken_commit)
    with client:
        resp = client.post("/edge-test", data={"name": "王丽华"})
        assert resp.status_code == 409
        assert "conflict-write" in resp.get_data(as_text=True)
        assert [m for _c, m in get_flashed_messages(with_categories=True)] != ["saved"]
        assert "saved" not in [m for _c, m in get_flashed_messages(with_categories=True)]


def test_refused_pin_is_counted_after_the_rollback(app, make_staff):
    from showroom.auth.services import authenticate

    staff = make_staff("packer")

    def view() -> Any:
        return perform(lambda: authenticate(staff["staff_no"], "000000"),
                       done=lambda _s: "signed", refused=lambda r: (r.code, r.status),
                       pin=PinTry(staff["staff_no"], "edge-test"), say=False)

    app.add_url_rule("/pin-test", view_func=view, methods=["POST"])
    resp = app.test_client().post("/pin-test")
    assert resp.status_code == 401
    with app.app_context():
        tries = db.session.scalars(select(LoginAttempt).where(
            LoginAttempt.staff_no == staff["staff_no"], LoginAttempt.success.is_(False))).all()
        assert len(tries) == 1


def test_validation_failed_keeps_field_problems(app, edge):
    def view() -> Any:
        def work() -> None:
            raise ValidationFailed("bad", errors={"qty": "must be at least 1"})

        return perform(work, done=lambda _r: "ok",
                       refused=lambda r: (f"{r.code}|{r.errors['qty']}", r.status))

    app.add_url_rule("/validation-test", view_func=view, methods=["POST"])
    resp = app.test_client().post("/validation-test")
    assert resp.status_code == 422
    assert resp.get_data(as_text=True) == "validation|must be at least 1"


def test_no_view_module_commits_or_rolls_back_itself():
    """DESIGN.md "The screen edge": only showroom/web/screen.py ends a screen's transaction."""
    offenders = []
    views = (sorted(ROOT.glob("showroom/*/views*.py")) + sorted(ROOT.glob("showroom/*/*_views.py"))
             + sorted(ROOT.glob("showroom/*/previews.py")))
    for path in views:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"db\.session\.(commit|rollback)\(", line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}")
    assert not offenders, offenders
