"""Domain errors. Views map them to a flash + 4xx, the API to problem+json."""
from __future__ import annotations


class DomainError(Exception):
    """A business rule said no. `status` is the HTTP status both edges use."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class ValidationFailed(DomainError):
    status = 422
    code = "validation"


class NotFound(DomainError):
    status = 404
    code = "not-found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class AlreadySettled(Conflict):
    code = "already-settled"


class InvalidTransition(Conflict):
    code = "invalid-transition"


class StaleVersion(Conflict):
    code = "stale-version"


class InsufficientStock(Conflict):
    code = "insufficient-stock"


class IncompleteCustomerFile(Conflict):
    code = "incomplete-customer"


class LockerKeyNotReturned(Conflict):
    code = "locker-key"


class DuplicatePhone(Conflict):
    """A new customer's phone number is already on file (register anyway to override)."""

    code = "duplicate-phone"


class IdempotencyMismatch(Conflict):
    code = "idempotency-key-reused"


class Problem(str):
    """One field's problem: the message in the request's language that travels to the
    screen and the API as it is, plus a `code` screens test instead of comparing
    translated sentences (`problem.code == "required"`)."""

    code: str

    def __new__(cls, code: str, message: str) -> Problem:
        made = super().__new__(cls, message)
        made.code = code
        return made


def problem_code(message: object) -> str:
    """The code of a field problem ("" for a plain message)."""
    return getattr(message, "code", "")


def required() -> Problem:
    """The field was left empty."""
    from flask_babel import gettext as _

    return Problem("required", _("required"))


class RuleRefused(Conflict):
    """A business rule said no (DESIGN.md "Rule verdicts"): `rule` names it ("credit_limit",
    "credit_held", "not_reversible" …) and `reasons` are sentences a person can read. The
    API answers 409 with both; screens show the reasons."""

    code = "rule"

    def __init__(self, rule: str, reasons: list[str], *, message: str = "",
                 errors: dict[str, str] | None = None) -> None:
        super().__init__(message or "; ".join(reasons), errors=errors)
        self.rule = rule
        self.reasons = list(reasons)
