"""Field types shared by the API's request and response models.

Each type validates and documents itself (JSON schema) in one place, so the OpenAPI
document says exactly what the endpoints accept: money as strings with at most two
decimals (floats refused), ids within the database's integer range, bounded text
under the one text rule of `showroom.text_rule` (no control, bidi or zero-width characters;
PostgreSQL refuses NUL bytes and lone surrogates).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError, core_schema

from showroom import text_rule
from showroom.catalog.services import MAX_QTY
from showroom.money import MoneyError, fen_str, parse_fen

MAX_ID = 2**31 - 1
MONEY_PATTERN = r"^\d{1,12}(\.\d{1,2})?$"
MONEY_OUT_PATTERN = r"^-?\d+\.\d{2}$"


class In(BaseModel):
    """Request bodies: strict types (no "5" for 5, no 5.0 for 5), unknown fields ignored."""

    model_config = ConfigDict(strict=True, str_strip_whitespace=True, extra="ignore")


class QueryIn(BaseModel):
    """Query strings arrive as text, so numbers are parsed from it (lax mode)."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")


class Out(BaseModel):
    """Response bodies."""

    model_config = ConfigDict(from_attributes=True)


def _money_in(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, str):
        raise PydanticCustomError(
            "money_type", 'amounts are strings with two decimals, like "12.50" (not numbers)')
    try:
        fen = parse_fen(value)
    except MoneyError as exc:
        raise PydanticCustomError("money_format", str(exc)) from exc
    return fen_str(fen)


def _printable(multiline: bool) -> AfterValidator:
    """The screens' text rule (`showroom.text_rule`), as a pydantic check."""

    def check(value: str) -> str:
        found = text_rule.problem(value, multiline=multiline)
        if found is not None:
            raise PydanticCustomError(
                "text_chars", "contains a {kind} character ({codepoint}) at position {position}",
                {"kind": found.kind, "codepoint": found.codepoint, "position": found.position,
                 "ord": ord(found.char)})  # not the character: a lone surrogate cannot travel
        return value

    return AfterValidator(check)


# One line of printable text; give the length with Field(max_length=...).
Line = Annotated[str, _printable(False)]
# Text that may span lines (addresses, notes).
Para = Annotated[str, _printable(True)]
# Input money: "1234.50" (also "12" or "12.5"); normalised to two decimals.
Money = Annotated[
    str,
    BeforeValidator(_money_in),
    WithJsonSchema({"type": "string", "pattern": MONEY_PATTERN, "examples": ["1234.50"],
                    "description": "CNY with at most two decimals, as a string"}),
]
# Output money: always exactly two decimals.
MoneyOut = Annotated[str, Field(pattern=MONEY_OUT_PATTERN, examples=["1234.50"])]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Qty = Annotated[int, Field(ge=1, le=MAX_QTY)]
Version = Annotated[int, Field(ge=1, le=MAX_ID,
                               description="the order version you last saw (or If-Match)")]


class OneOf:
    """`Annotated[str, OneOf(Carrier)]`: one of a code list's values, validated, refused and
    documented exactly like `Literal[...]` (strict request models take the plain string),
    but read from the list's one definition. `extra` values come first ("" = none)."""

    def __init__(self, codes: Iterable[str], *extra: str) -> None:
        self.values = [*extra, *(str(c) for c in codes)]

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler
                                     ) -> core_schema.CoreSchema:
        return core_schema.literal_schema(self.values)
