"""Every test builds a new app, and werkzeug compiles each of its ~215 URL rules' two
builder functions from a fresh AST each time (about 0.4 s of CPU per app, a third of the
suite's time). The builder's code depends only on the rule's parsed parts, its defaults
and whether unknown arguments are appended — never on the app — so the tests compile each
distinct builder once per worker and reuse it. Test-only: a served app is built once.
"""
from __future__ import annotations

from typing import Any

from werkzeug.routing.rules import Rule

_original = Rule._compile_builder
_compiled: dict[tuple[Any, ...], Any] = {}


def _cached_compile_builder(self: Rule, append_unknown: bool = True) -> Any:
    defaults = self.defaults or {}
    key = (tuple(self._trace), tuple(sorted((k, repr(v)) for k, v in defaults.items())),
           append_unknown)
    func = _compiled.get(key)
    if func is None:
        func = _compiled[key] = _original(self, append_unknown)
    return func


def install() -> None:
    """Idempotent; a no-op if werkzeug no longer has the method (then nothing is cached)."""
    if getattr(Rule, "_compile_builder", None) is _original:
        Rule._compile_builder = _cached_compile_builder  # type: ignore[method-assign]
