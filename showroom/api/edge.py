"""The request edge every API route goes through, in order: bearer token (401), role
(403), path ids (404), body (413/415/400/422), query (422), expected version, then the
Idempotency-Key claim, the view, and one commit — or a rollback on any error.

Whatever goes wrong, the client gets problem+json and the database is unchanged.
"""
from __future__ import annotations

import json as stdjson
from collections.abc import Callable
from typing import Any

from flask import Response, json, request
from flask_babel import gettext as _
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import DataError, IntegrityError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from showroom.api.problems import (
    ApiError,
    from_domain_error,
    invalid_input,
    problem,
    validation_errors,
)
from showroom.api.registry import Answered, Call, Route
from showroom.api.types import MAX_ID
from showroom.auth.models import ApiToken
from showroom.auth.services import token_owner
from showroom.errors import DomainError
from showroom.extensions import db
from showroom.idempotency import claim, clean_key, complete, fingerprint

MAX_BODY = 256 * 1024
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
JSON_TYPES = ("application/json",)


def dispatcher(route: Route) -> Callable[..., Response]:
    def view(**path: Any) -> Response:
        return dispatch(route, path)

    view.__name__ = route.view.__name__
    view.__doc__ = route.view.__doc__
    return view


def dispatch(route: Route, path: dict[str, Any]) -> Response:
    request.max_content_length = route.max_body or MAX_BODY
    try:
        call = Call()
        if not route.public:
            call.token = bearer_token()
            check_roles(call.token, route.roles)
        check_path(route, path)
        call.body = read_body(route.body)
        call.query = read_query(route.query)
        if route.versioned:
            call.version = read_version(call.body)
        key = clean_key(request.headers.get("Idempotency-Key")) if route.idempotent else None
        if key is not None:
            scope = f"{route.method} {request.path}"[:80]
            payload = call.body.model_dump(mode="json") if call.body is not None else None
            replay = claim(key, scope, fingerprint(scope, payload))
            if replay is not None:
                db.session.rollback()
                return json_response(replay.body, replay.status, {"Idempotent-Replayed": "true"})
        result = route.view(call, **path)
        status = route.status
        if isinstance(result, Answered):  # a view that chose its status (200 for a repeat)
            status = result.status
            result = result.body
        if not isinstance(result, route.response):
            raise TypeError(f"{route.view.__name__} returned {type(result).__name__}, "
                            f"not {route.response.__name__}")
        body = result.model_dump(mode="json")
        if key is not None:
            complete(key, status, body)
        if route.method in READ_METHODS:
            db.session.rollback()
        else:
            db.session.commit()
        return json_response(body, status)
    except DomainError as exc:
        db.session.rollback()
        return from_domain_error(exc)
    except IntegrityError:
        db.session.rollback()
        return problem(409, _("Conflict"),
                       _("this clashes with data saved a moment ago; reload and try again"),
                       type_="urn:showroom:problem:conflict")
    except DataError:
        db.session.rollback()
        return problem(422, _("Invalid input"), _("a value is out of range or not allowed"),
                       type_="urn:showroom:problem:validation")
    except RequestEntityTooLarge:
        db.session.rollback()
        return problem(413, _("Too large"), _("The body is larger than %(kib)s KiB; send less "
                                              "at a time.", kib=(route.max_body or MAX_BODY)
                                              // 1024),
                       type_="urn:showroom:problem:too-large")
    except HTTPException:
        db.session.rollback()
        raise
    except BaseException:
        db.session.rollback()
        raise


def json_response(body: Any, status: int, headers: dict[str, str] | None = None) -> Response:
    resp = Response(json.dumps(body, ensure_ascii=False), status=status,
                    mimetype="application/json", headers=headers)
    if isinstance(body, dict) and isinstance(body.get("version"), int):
        resp.headers["ETag"] = f'"{body["version"]}"'
    return resp


def bearer_token() -> ApiToken:
    challenge = {"WWW-Authenticate": 'Bearer realm="showroom"'}
    scheme, _sep, raw = request.headers.get("Authorization", "").partition(" ")
    raw = raw.strip()
    if scheme.lower() != "bearer" or not raw:
        raise ApiError(401, _("Sign in first: send \"Authorization: Bearer <token>\" with a "
                              "token from POST /api/v1/auth/token."),
                       code="unauthenticated", headers=challenge)
    token = token_owner(raw) if len(raw) <= 200 and raw.isascii() else None
    if token is None:
        challenge["WWW-Authenticate"] += ', error="invalid_token"'
        raise ApiError(401, _("This token is unknown, expired or revoked: sign in again."),
                       code="unauthenticated", headers=challenge)
    return token


def check_roles(token: ApiToken, roles: tuple[str, ...] | None) -> None:
    if roles and not token.staff.has_role(*roles):
        raise ApiError(403, _("This needs the role %(roles)s; staff %(staff_no)s does not have it.",
                              roles=" / ".join(roles), staff_no=token.staff.staff_no),
                       code="forbidden")


def check_path(route: Route, path: dict[str, Any]) -> None:
    for name in route.int_params:
        if not 1 <= path[name] <= MAX_ID:
            what = name.removesuffix("_id").replace("_", " ") or "item"
            raise ApiError(404, _("No %(what)s with id %(id)s.", what=what, id=path[name]),
                           code="not-found")


def read_body(model: type[BaseModel] | None) -> Any:
    if model is None:
        return None
    raw = request.get_data(cache=True)
    if not raw.strip():
        data: Any = {}
    else:
        if request.mimetype not in JSON_TYPES and not request.mimetype.endswith("+json"):
            raise ApiError(415, _("Send the body as JSON with \"Content-Type: application/json\" "
                                  "(got \"%(got)s\").", got=request.mimetype or "nothing"),
                           code="unsupported-media-type")
        data = parse_json(raw)
    if not isinstance(data, dict):
        raise invalid_input({"body": _("must be a JSON object")})
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid_input(validation_errors(exc)) from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON")


def parse_json(raw: bytes) -> Any:
    try:
        return stdjson.loads(raw.decode("utf-8-sig"), parse_constant=_no_constant)
    except UnicodeDecodeError:
        detail = _("The body is not valid UTF-8 text.")
    except stdjson.JSONDecodeError as exc:
        detail = _("The body is not valid JSON: %(msg)s at line %(line)s, column %(col)s.",
                   msg=exc.msg, line=exc.lineno, col=exc.colno)
    except (ValueError, RecursionError) as exc:
        detail = _("The body is not valid JSON: %(msg)s.", msg=str(exc)[:120])
    raise ApiError(400, detail, code="invalid-json")


def read_query(model: type[BaseModel] | None) -> Any:
    if model is None:
        return None
    try:
        return model.model_validate(request.args.to_dict())
    except ValidationError as exc:
        raise invalid_input(validation_errors(exc)) from None


def read_version(body: Any) -> int | None:
    """The expected order version, from the body's "version" or an If-Match header."""
    from_body = getattr(body, "version", None)
    header = request.headers.get("If-Match")
    from_header = None
    if header is not None and header.strip() != "*":
        text = header.strip().removeprefix("W/").strip('"')
        if not (text.isascii() and text.isdigit() and len(text) <= 10
                and 1 <= int(text) <= MAX_ID):
            raise invalid_input({"If-Match": _("the order version in quotes, e.g. \"3\"")})
        from_header = int(text)
    if from_body is not None and from_header is not None and from_body != from_header:
        raise invalid_input({"version": _("differs from the If-Match header")})
    return from_body if from_body is not None else from_header
