"""The screen edge, twin of the API edge (showroom/api/edge.py): the one place a screen
action validates its form, claims or replays its one-time token, commits once, and on a
refusal rolls back and tells the user why, by the error's code, with the right status.

A view reads like Indico's `RH._process`: parse, call the service, answer::

    return perform(lambda: settle(order_id, ...), form=form, once=OneTime("settle", order_id),
                   done=lambda body: redirect(...), refused=lambda r: page(r.status))

`done` builds the success response inside the transaction (it may read what the service
wrote); the commit follows, and if the commit fails the response is dropped and the
refusal path answers instead. Nothing here commits anywhere else; no view does.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import abort, flash, session
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.exc import DataError, IntegrityError, OperationalError

from showroom.errors import DomainError, ValidationFailed
from showroom.extensions import db
from showroom.idempotency import claim, clean_key, complete, fingerprint

T = TypeVar("T")
Message = str | Callable[[DomainError], str]

#: What a screen says for an error code when the view has nothing more specific.
SCREEN_MESSAGES: dict[str, Any] = {
    "idempotency-key-reused": _l("This form was already used; please check and try again."),
    "stale-version": _l("Someone else changed this a moment ago — reloaded. Check it and try "
                        "again."),
    "conflict-write": _l("This clashes with a change saved a moment ago; reload and try again."),
    "out-of-range": _l("A value is out of range or not allowed."),
    "busy": _l("The system is busy for a moment; please try again."),
    "form-expired": _l("The form expired; please reload the page and try again."),
    "invalid-form": _l("Please correct the marked fields."),
}


@dataclass
class Refusal:
    """Why a screen action changed nothing: the message in the user's language, the HTTP
    status to answer with, field problems to mark, and the error's code and object."""

    message: str
    status: int
    code: str
    errors: dict[str, str] = field(default_factory=dict)
    error: DomainError | None = None


@dataclass(frozen=True)
class OneTime:
    """A one-time form token used as the idempotency key: the first submit does the work
    and stores `keep(result)`; a repeat (double tap, retry) replays that stored body to
    `done` and changes nothing. `payload` is what must not differ between the two."""

    scope: str
    payload: Any = None
    keep: Callable[[Any], dict[str, Any]] = lambda _result: {}
    field_name: str = "token"


@dataclass(frozen=True)
class PinTry:
    """A PIN typed into this action (a counter's or a manager's): when it is refused, the
    failed try is recorded after the rollback so the lockout counts it."""

    staff_no: str
    source: str


def new_token(form: FlaskForm, field_name: str = "token") -> FlaskForm:
    """A fresh one-time token on a form about to be rendered (one per rendered form)."""
    getattr(form, field_name).data = str(uuid.uuid4())
    return form


def perform(call: Callable[[], T], *, done: Callable[[Any], ResponseReturnValue],
            refused: Callable[[Refusal], ResponseReturnValue],
            form: FlaskForm | None = None, once: OneTime | None = None,
            messages: Mapping[str, Message] | None = None, pin: PinTry | None = None,
            say: bool = True, not_found: bool = True) -> Any:
    """Run one screen action exactly as DESIGN.md "The screen edge" says.

    - `form` is validated first (CSRF included); an invalid form refuses with 422, an
      expired CSRF token with 400, each field's errors kept on the form.
    - `once` claims the form's one-time token; a replay skips `call` and hands the first
      result's stored body to `done`.
    - `call` runs the services (they flush); `done(result)` builds the answer; one commit.
    - a DomainError (or a write clash) rolls back; `say` flashes the message chosen by the
      error's code from `messages`, then SCREEN_MESSAGES, then `messages["*"]`, else the
      error's own message;
      `refused(refusal)` answers with `refusal.status`. NotFound is a plain 404 unless
      `not_found=False`.
    """
    if form is not None and not form.validate():
        db.session.rollback()
        expired = bool(getattr(getattr(form, "csrf_token", None), "errors", None))
        code = "form-expired" if expired else "invalid-form"
        refusal = Refusal(_message(code, None, messages), 400 if expired else 422, code,
                          {k: "; ".join(map(str, v)) for k, v in form.errors.items()
                           if isinstance(v, list)})
        return _refuse(refusal, refused, say)
    flashes = list(session.get("_flashes", []))
    try:
        if once is not None:
            response = _once(call, once, form, done)
        else:
            response = done(call())
        db.session.commit()
        return response
    except DomainError as exc:
        db.session.rollback()
        session["_flashes"] = flashes  # a success message made before a failed commit goes
        if pin is not None and exc.code in ("sign-in-failed", "locked", "too-many-attempts"):
            _keep_refused_pin(pin)
        if not_found and exc.code == "not-found":
            abort(404)
        refusal = Refusal(_message(exc.code, exc, messages), exc.status, exc.code,
                          dict(exc.errors), exc)
        return _refuse(refusal, refused, say)
    except (IntegrityError, DataError, OperationalError) as exc:
        db.session.rollback()
        session["_flashes"] = flashes
        if isinstance(exc, OperationalError) and "locked" not in str(exc.orig):
            raise
        code = {IntegrityError: "conflict-write", DataError: "out-of-range"}.get(
            type(exc), "busy")
        status = {"conflict-write": 409, "out-of-range": 422}.get(code, 503)
        return _refuse(Refusal(_message(code, None, messages), status, code), refused, say)
    except BaseException:
        db.session.rollback()
        raise


def _once(call: Callable[[], Any], once: OneTime, form: FlaskForm | None,
          done: Callable[[Any], ResponseReturnValue]) -> ResponseReturnValue:
    raw = getattr(form, once.field_name).data if form is not None else None
    key = clean_key(raw or None)
    if key is None:
        raise ValidationFailed(_("The form expired; please reload the page."),
                               errors={once.field_name: _("missing")})
    scope = once.scope[:80]
    replay = claim(key, scope, fingerprint(scope, once.payload))
    if replay is not None:
        return done(replay.body)
    body = once.keep(call())
    complete(key, 200, body)
    return done(body)


def _message(code: str, exc: DomainError | None, messages: Mapping[str, Message] | None) -> str:
    chosen = (messages or {}).get(code)
    if chosen is None:
        chosen = SCREEN_MESSAGES.get(code)
    if chosen is None and exc is not None:
        chosen = (messages or {}).get("*")  # the view's wording for any other refusal
    if chosen is None:
        return exc.message if exc is not None else str(SCREEN_MESSAGES["invalid-form"])
    if callable(chosen) and exc is not None:
        return str(chosen(exc))
    return str(chosen)


def _refuse(refusal: Refusal, refused: Callable[[Refusal], ResponseReturnValue],
            say: bool) -> ResponseReturnValue:
    if say and refusal.message:
        flash(refusal.message, "error")
    return refused(refusal)


def _keep_refused_pin(pin: PinTry) -> None:
    from showroom.auth.services import keep_refused_attempt

    keep_refused_attempt(pin.staff_no, pin.source)


def mark_fields(form: FlaskForm, errors: Mapping[str, str]) -> bool:
    """Put a service's field problems on the form's fields; True when any field took one."""
    marked = False
    for name, problem in errors.items():
        if name in form:
            form[name].errors = [*form[name].errors, str(problem)]
            marked = True
    return marked


def end_read() -> None:
    """A screen that only reads ends its transaction before slow work (rendering a PDF),
    so SQLite's lock or a PostgreSQL snapshot is not held meanwhile."""
    db.session.rollback()

