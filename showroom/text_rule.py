"""The one rule for text people type, on screens, in the API, the shell and imports.

Refused, with a message naming the problem and where it is:
- control characters: C0 (U+0000-001F, NUL and ESC among them: PostgreSQL cannot store
  NUL, and ESC would reach the receipt printer as a command) except tab, line feed and
  carriage return in multi-line fields; DEL and C1 (U+007F-009F); the line and paragraph
  separators U+2028/U+2029;
- bidirectional controls that make text read differently than it is stored (U+202A-202E,
  U+2066-2069, U+200E/U+200F, U+061C);
- zero-width characters that hide inside names and codes (U+200B-200D, U+2060, U+FEFF);
- lone surrogates (U+D800-DFFF: not text; the database refuses them).
Everything else a keyboard or an IME produces is fine, the ideographic space included.

Pure: no Flask, no database. `problem()` says what is wrong; `message()` words it in
the screen's language.
"""
from __future__ import annotations

from typing import NamedTuple

from flask_babel import gettext as _

MULTILINE_OK = frozenset("\t\n\r")
BIDI = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A),
                                  0x200E, 0x200F, 0x061C))
ZERO_WIDTH = frozenset(chr(c) for c in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF))


class TextProblem(NamedTuple):
    kind: str  # "control", "bidi", "zero-width", "surrogate"
    char: str
    position: int  # 1-based, as people count

    @property
    def codepoint(self) -> str:
        return f"U+{ord(self.char):04X}"


def kind_of(ch: str, *, multiline: bool = False) -> str | None:
    """Why `ch` is refused, or None when it is fine."""
    code = ord(ch)
    if code < 0x20 or 0x7F <= code <= 0x9F or code in (0x2028, 0x2029):
        return None if multiline and ch in MULTILINE_OK else "control"
    if ch in BIDI:
        return "bidi"
    if ch in ZERO_WIDTH:
        return "zero-width"
    if 0xD800 <= code <= 0xDFFF:
        return "surrogate"
    return None


def problem(text: str, *, multiline: bool = False) -> TextProblem | None:
    """The first refused character of `text`, or None when all of it is fine."""
    if text.isascii() and text.isprintable():  # the common case, in C
        return None
    for index, ch in enumerate(text):
        kind = kind_of(ch, multiline=multiline)
        if kind is not None:
            return TextProblem(kind, ch, index + 1)
    return None


def message(found: TextProblem) -> str:
    """The problem in the screen's language, e.g. "contains a control character (U+0000,
    NUL) at position 3: retype it without it"."""
    names = {"\x00": "NUL", "\x1b": "ESC", "\t": "TAB", "\n": "LF", "\r": "CR", "\x7f": "DEL"}
    what = found.codepoint + (f", {names[found.char]}" if found.char in names else "")
    if found.kind == "control":
        return _("contains a control character (%(what)s) at position %(pos)s: retype it "
                 "without it", what=what, pos=found.position)
    if found.kind == "bidi":
        return _("contains an invisible text-direction mark (%(what)s) at position %(pos)s: "
                 "retype it without it", what=what, pos=found.position)
    if found.kind == "zero-width":
        return _("contains an invisible zero-width character (%(what)s) at position %(pos)s: "
                 "retype it without it", what=what, pos=found.position)
    return _("contains a broken character (%(what)s) at position %(pos)s: retype it",
             what=what, pos=found.position)


def check(text: str, *, multiline: bool = False) -> str | None:
    """The translated message for the first refused character, or None."""
    found = problem(text, multiline=multiline)
    return message(found) if found is not None else None
