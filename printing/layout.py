"""A receipt as device-independent blocks: what to print, not how a printer does it.

`printing.compose` turns a document into a `Layout` for a paper width; the ESC/POS
renderer sends each block as printer commands and the raster renderer draws the same
blocks, so text mode, image mode and the PNG preview show one and the same receipt.
Text and table rows are already fitted to the columns (see `printing.width`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from printing.width import display_width, pad, wrap

ALIGNS = ("left", "center", "right")


@dataclass(frozen=True, slots=True)
class Text:
    """One printed line. `width`/`height` multiply the character size (1–8, as GS !)."""
    text: str
    align: str = "left"
    bold: bool = False
    width: int = 1
    height: int = 1


@dataclass(frozen=True, slots=True)
class Row:
    """One physical line of a table, cells padded to their column widths."""
    cells: tuple[str, ...]
    widths: tuple[int, ...]
    aligns: tuple[str, ...]
    bold: bool = False
    gap: int = 1
    text: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.text:  # the padded line, worked out once (a slip repeats it per copy)
            cells = zip(self.cells, self.widths, self.aligns, strict=True)
            object.__setattr__(self, "text", (" " * self.gap).join(pad(c, w, a) for c, w, a in cells))


@dataclass(frozen=True, slots=True)
class Rule:
    """A horizontal rule across the paper."""
    char: str = "-"


@dataclass(frozen=True, slots=True)
class Barcode:
    """A CODE128 barcode with its text printed under it."""
    data: str


@dataclass(frozen=True, slots=True)
class QR:
    data: str


@dataclass(frozen=True, slots=True)
class Feed:
    lines: int = 1


@dataclass(frozen=True, slots=True)
class Cut:
    """End of one copy: partial cut where the printer has a cutter, else feed to tear."""


@dataclass(frozen=True, slots=True)
class DrawerKick:
    """Open the cash drawer (pulse on pin 2)."""


Block = Text | Row | Rule | Barcode | QR | Feed | Cut | DrawerKick


@dataclass(slots=True)
class Layout:
    columns: int
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def text(self, text: str, *, align: str = "left", bold: bool = False, width: int = 1,
             height: int = 1) -> None:
        """Add `text`, wrapped to the columns left at this character width."""
        if align not in ALIGNS:
            raise ValueError(f"align must be one of {ALIGNS}")
        for line in wrap(text, max(1, self.columns // width)):
            self.blocks.append(Text(line, align=align, bold=bold, width=width, height=height))

    def pair(self, label: str, value: str, *, bold: bool = False, width: int = 1, height: int = 1) -> None:
        """`label` at the left, `value` right-aligned at the end of the line (totals)."""
        cols = self.columns // width
        gap = cols - display_width(label) - display_width(value)
        if gap >= 1:
            self.blocks.append(Text(label + " " * gap + value, bold=bold, width=width, height=height))
        else:
            self.text(label, bold=bold, width=width, height=height)
            self.text(value, align="right", bold=bold, width=width, height=height)

    def row(self, cells: tuple[str, ...], widths: tuple[int, ...], aligns: tuple[str, ...], *,
            bold: bool = False, gap: int = 1) -> None:
        """Add a table row; a cell too long for its column wraps onto further lines in the
        same column, so numbers stay on the first line and columns never shift."""
        if sum(widths) + gap * (len(widths) - 1) > self.columns:
            raise ValueError(f"table columns {widths} wider than {self.columns}")
        if all(display_width(c) <= w for c, w in zip(cells, widths, strict=True)):
            self.blocks.append(Row(cells, widths, aligns, bold=bold, gap=gap))
            return
        wrapped = [wrap(c, w) if display_width(c) > w else [c] for c, w in zip(cells, widths, strict=True)]
        for i in range(max(len(w) for w in wrapped)):
            line = tuple(w[i] if i < len(w) else "" for w in wrapped)
            self.blocks.append(Row(line, widths, aligns, bold=bold, gap=gap))


def line_text(block: Text | Row) -> str:
    """The characters of a text block or table row as they go on the paper."""
    return block.text
