"""Display width of text on a receipt: a Chinese character takes two columns.

A thermal printer in Chinese mode prints every double-byte character as a full-width
24-dot glyph, so East Asian Wide, Fullwidth (，：（）￥ …) and Ambiguous characters (—·“”)
count 2 columns and ASCII counts 1; combining marks and control characters count 0.
Tables only line up when padding, truncating and wrapping all measure with this.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

_CONTROLS = {c: " " for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))}


@lru_cache(maxsize=4096)
def char_width(ch: str) -> int:
    """Columns one character takes: 2 for CJK and full-width forms, 1 for ASCII."""
    code = ord(ch)
    if 0x20 <= code < 0x7F:
        return 1
    if code < 0x20 or 0x7F <= code < 0xA0 or unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 1


@lru_cache(maxsize=8192)
def display_width(text: str) -> int:
    """Columns `text` takes on the paper."""
    if text.isascii() and text.isprintable():
        return len(text)
    return sum(char_width(ch) for ch in text)


def clean(text: str) -> str:
    """Text safe to print: control characters (which a printer would take as commands,
    e.g. ESC p opening the drawer) become spaces."""
    if text.isprintable():
        return text
    return text.translate(_CONTROLS)


def truncate(text: str, width: int) -> str:
    """The longest prefix of `text` that fits in `width` columns."""
    if display_width(text) <= width:
        return text
    used = 0
    for i, ch in enumerate(text):
        used += char_width(ch)
        if used > width:
            return text[:i]
    return text


def pad(text: str, width: int, align: str = "left") -> str:
    """`text` truncated to `width` columns and padded with spaces to exactly `width`."""
    gap = width - display_width(text)
    if gap < 0:
        text = truncate(text, width)
        gap = width - display_width(text)
    if gap <= 0:
        return text
    if align == "right":
        return " " * gap + text
    if align == "center":
        left = gap // 2
        return " " * left + text + " " * (gap - left)
    return text + " " * gap


def wrap(text: str, width: int) -> list[str]:
    """`text` broken into lines of at most `width` columns (at least one line).

    Breaks at spaces where a word fits, anywhere between Chinese characters, and inside
    a word only when the word alone is wider than the line; a break never lands before
    closing punctuation such as ，。）.
    """
    if width < 1:
        raise ValueError("wrap width must be at least 1 column")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, width))
    return lines


_NO_LINE_START = set("，。、；：？！）》」』】〕,.;:?!)]}%")


def _wrap_paragraph(text: str, width: int) -> list[str]:
    if display_width(text) <= width:
        return [text]
    lines: list[str] = []
    line: list[str] = []  # pieces on the current line
    used = 0
    for piece in _tokens(text):
        w = display_width(piece)
        if used + w <= width:
            line.append(piece)
            used += w
            continue
        if piece == " ":
            lines.append("".join(line).rstrip())
            line, used = [], 0
            continue
        carried: list[str] = []
        if piece in _NO_LINE_START and len(line) > 1 and line[-1] != " ":
            # closing punctuation never starts a line: the word before it comes down too
            carried = [line.pop()]
        if "".join(line).strip():
            lines.append("".join(line).rstrip())
        line = carried + [piece]
        used = sum(display_width(p) for p in line)
        while used > width:  # a word longer than a whole line: split it anywhere
            joined = "".join(line)
            head = truncate(joined, width) or joined[0]
            lines.append(head)
            line = [joined[len(head):]]
            used = display_width(line[0])
    if "".join(line).strip() or not lines:
        lines.append("".join(line).rstrip())
    return lines


def _tokens(text: str) -> list[str]:
    """Words of ASCII letters/digits stay whole; each space and each wide character is
    its own piece (Chinese breaks between any two characters)."""
    pieces: list[str] = []
    word = ""
    for ch in text:
        if ch == " " or char_width(ch) != 1:
            if word:
                pieces.append(word)
                word = ""
            pieces.append(ch)
        else:
            word += ch
    if word:
        pieces.append(word)
    return pieces
