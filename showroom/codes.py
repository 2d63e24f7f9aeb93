"""Code lists and status tables: the two building blocks every feature's codes use.

`Code` is a `StrEnum` whose members carry their screen label beside them:
`SF_EXPRESS = "sf_express", _l("SF Express")`. A member *is* its string, so the database,
the API and the logs keep the same English codes ("sf_express" == Carrier.SF_EXPRESS) and
no data changes. Each feature defines its lists next to the column that stores them (a
feature branch adds its own without touching a shared file); `showroom.labels` maps the
template group names (`|label('carrier')`) to these enums.

`StatusTable` is the one way a status column changes: `table.move(row, NEW)` for a row
in the session, `table.update(Model.status, NEW, from_=…)` for a bulk UPDATE whose WHERE
names only the states allowed to become NEW. An illegal move raises InvalidTransition.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any, Generic, Self, TypeVar

from flask_babel import gettext as _
from sqlalchemy import Update, update
from sqlalchemy.orm import InstrumentedAttribute

from showroom.errors import InvalidTransition


class Code(StrEnum):
    """A code stored as text, with its label (a lazy gettext string) beside it."""

    _text: Any

    def __new__(cls, value: str, text: Any = None, *_extra: Any) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        return member

    def __init__(self, value: str, text: Any = None, *_extra: Any) -> None:
        self._text = text

    @property
    def label(self) -> str:
        """The label in the request's language (the code itself when it has none)."""
        return str(self._text) if self._text is not None else self.value

    @property
    def lazy_label(self) -> Any:
        return self._text

    @classmethod
    def codes(cls) -> tuple[str, ...]:
        """The plain strings, in definition order (for messages and SQL)."""
        return tuple(m.value for m in cls)

    @classmethod
    def lazy_labels(cls) -> dict[str, Any]:
        """code → lazy label, for `showroom.labels.LABELS`."""
        return {m.value: m._text for m in cls if m._text is not None}


S = TypeVar("S", bound=StrEnum)


class StatusTable(Generic[S]):
    """Which status may become which: `moves[current]` is the set of allowed next states."""

    def __init__(self, what: Any, moves: Mapping[S, Iterable[S]]) -> None:
        self.what = what  # a lazy label ("Print job"), for the refusal's message
        self.enum: type[S] = type(next(iter(moves)))
        self.moves: dict[str, frozenset[str]] = {str(k): frozenset(map(str, v))
                                                  for k, v in moves.items()}

    def allows(self, current: str, new: str) -> bool:
        return str(new) in self.moves.get(str(current), frozenset())

    def _label(self, state: str) -> str:
        try:
            member = self.enum(state)
        except ValueError:
            return str(state)
        if not isinstance(member, Code):
            return str(member)
        phrase = getattr(member, "phrase", "")  # the in-sentence form, where there is one
        return str(phrase) if phrase else member.label

    def check(self, current: str, new: str, *, name: object = "") -> None:
        """Raise InvalidTransition (409) unless `current` may become `new`."""
        if self.allows(current, new):
            return
        args = {"what": str(self.what), "name": name, "status": self._label(current),
                "new": self._label(new)}
        raise InvalidTransition(
            _("%(what)s %(name)s is %(status)s and cannot become %(new)s", **args) if name != ""
            else _("%(what)s is %(status)s and cannot become %(new)s", **args))

    def move(self, row: Any, new: S, *, name: object = "") -> None:
        """Check and set `row.status` (a row in the session)."""
        self.check(row.status, new, name=name)
        row.status = new

    def sources(self, new: str) -> frozenset[str]:
        """Every state allowed to become `new`."""
        return frozenset(s for s, nexts in self.moves.items() if str(new) in nexts)

    def update(self, column: InstrumentedAttribute[str], new: S,
               *, from_: str | Iterable[str] | None = None) -> Update:
        """UPDATE … SET status = new WHERE status IN (the allowed sources [∩ from_]).
        Asking for a move the table does not allow is a programming error: it raises
        InvalidTransition before any SQL is built. Add `.where(...)` and `.values(...)`."""
        sources = self.sources(new)
        if from_ is not None:
            wanted = {str(from_)} if isinstance(from_, str) else set(map(str, from_))
            for state in sorted(wanted - sources):
                self.check(state, new)
            sources = sources & wanted
        if not sources:
            raise InvalidTransition(f"no {self.what} status may become {new}")
        table = column.class_
        return (update(table).where(column.in_(sorted(sources)))
                .values({column.key: new}))
