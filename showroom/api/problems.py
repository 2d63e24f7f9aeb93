"""RFC 9457 problem+json bodies, and the translation of every kind of refusal into one.

Domain errors keep their own status (422, 404, 409, 423 …); pydantic validation errors
become 422 with one plain message per field ("lines[0].qty": "must be at least 1").
"""
from __future__ import annotations

from typing import Any

from flask import Response, json
from flask_babel import gettext as _
from pydantic import ValidationError

from showroom import text_rule
from showroom.errors import DomainError, RuleRefused


def problem(status: int, title: str, detail: str = "", *, errors: dict[str, str] | None = None,
            type_: str = "about:blank", headers: dict[str, str] | None = None,
            extra: dict[str, Any] | None = None) -> Response:
    body: dict[str, Any] = {"type": type_, "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    if extra:
        body.update(extra)
    return Response(json.dumps(body, ensure_ascii=False), status=status,
                    mimetype="application/problem+json", headers=headers)


class ApiError(DomainError):
    """A refusal made by the API edge itself (auth, content type, body shape)."""

    def __init__(self, status: int, message: str, *, code: str = "invalid",
                 errors: dict[str, str] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message, errors=errors)
        self.status = status
        self.code = code
        self.headers = headers or {}


def titles() -> dict[str, str]:
    return {
        "validation": _("Invalid input"),
        "not-found": _("Not found"),
        "conflict": _("Conflict"),
        "forbidden": _("Not allowed"),
        "already-settled": _("Already settled"),
        "invalid-transition": _("Not possible in this state"),
        "stale-version": _("Changed by someone else"),
        "insufficient-stock": _("Not enough stock"),
        "incomplete-customer": _("Customer file incomplete"),
        "locker-key": _("Locker key not returned"),
        "duplicate-phone": _("Phone number already registered"),
        "idempotency-key-reused": _("Idempotency-Key already used"),
        "sign-in-failed": _("Sign-in failed"),
        "locked": _("Locked"),
        "unauthenticated": _("Sign-in required"),
        "unsupported-media-type": _("Send JSON"),
        "invalid-json": _("Invalid JSON"),
        "print-font-missing": _("Print font missing"),
        "rule": _("Refused by a rule"),
    }


def from_domain_error(exc: DomainError) -> Response:
    title = titles().get(exc.code) or _("Request refused")
    headers = getattr(exc, "headers", None)
    detail = exc.message
    if exc.errors and not isinstance(exc, ApiError):
        # a service's summary ("please correct the wish") plus what exactly is wrong
        missing = [f"{k}: {v}" for k, v in exc.errors.items() if v not in detail]
        if missing:
            detail = f"{detail} — {'; '.join(missing[:3])}"
    extra = ({"rule": exc.rule, "reasons": exc.reasons} | dict(getattr(exc, "extra", {}))
             if isinstance(exc, RuleRefused) else None)
    return problem(exc.status, title, detail, errors=exc.errors or None,
                   type_=f"urn:showroom:problem:{exc.code}", headers=headers, extra=extra)


def _where(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "body"


def _message(err: Any) -> str:
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "missing":
        return _("required")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return _("must be a whole number")
    if kind in ("string_type", "string_sub_type"):
        return _("must be text")
    if kind in ("bool_type", "bool_parsing"):
        return _("must be true or false")
    if kind in ("list_type",):
        return _("must be a list")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _("must be an object")
    if kind in ("greater_than_equal", "greater_than"):
        if kind == "greater_than_equal":
            return _("must be at least %(n)s", n=ctx.get("ge"))
        return _("must be more than %(n)s", n=ctx.get("gt"))
    if kind in ("less_than_equal", "less_than"):
        return _("must be at most %(n)s", n=ctx.get("le", ctx.get("lt")))
    if kind in ("string_too_long", "too_long"):
        if ctx.get("field_type") == "List":
            return _("at most %(n)s items", n=ctx.get("max_length"))
        return _("at most %(n)s characters", n=ctx.get("max_length"))
    if kind in ("string_too_short", "too_short"):
        if ctx.get("field_type") == "List":
            return _("at least %(n)s item(s)", n=ctx.get("min_length"))
        if ctx.get("min_length") == 1:
            return _("required")
        return _("at least %(n)s characters", n=ctx.get("min_length"))
    if kind == "money_type":
        return _("amounts are strings with two decimals, like \"12.50\" (not numbers)")
    if kind == "text_chars" and "kind" in ctx:
        return text_rule.message(text_rule.TextProblem(ctx["kind"], chr(ctx["ord"]),
                                                       ctx["position"]))
    if kind in ("literal_error", "enum"):
        return _("must be one of: %(choices)s", choices=str(ctx.get("expected", "")))
    return str(err["msg"])


def validation_errors(exc: ValidationError, prefix: str = "") -> dict[str, str]:
    errors: dict[str, str] = {}
    for err in exc.errors(include_url=False):
        key = _where(tuple(err["loc"]))
        if prefix:
            key = prefix if key == "body" else f"{prefix}.{key}"
        errors.setdefault(key, _message(err))
    return errors


def invalid_input(errors: dict[str, str]) -> ApiError:
    shown = "; ".join(f"{field}: {msg}" for field, msg in list(errors.items())[:3])
    more = len(errors) - 3
    if more > 0:
        shown += " " + _("(and %(n)s more)", n=more)
    return ApiError(422, _("Please correct the input — %(fields)s", fields=shown),
                    code="validation", errors=errors)
