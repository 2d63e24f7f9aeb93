"""What a thermal printer can do: paper width, Chinese mode, cutter and cash drawer.

Every renderer takes a profile, so one document prints right on a 58 mm GBK printer, an
80 mm Big5 printer or a printer with no Chinese font at all (image mode).
"""
from __future__ import annotations

import os
from dataclasses import dataclass

CHINESE_MODES = ("gb18030", "gbk", "big5", "utf8", "image")
PAPER_WIDTHS = (80, 58)
DOTS = {80: 576, 58: 384}
COLUMNS = {80: 48, 58: 32}
# Debian's fonts-wqy-microhei; SHOWROOM_PRINT_FONT or the profile may name another.
DEFAULT_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


@dataclass(frozen=True, kw_only=True)
class PrinterProfile:
    paper_mm: int = 80
    chinese: str = "gb18030"
    cutter: bool = True
    drawer: bool = False
    font_path: str | None = None

    def __post_init__(self) -> None:
        if self.paper_mm not in PAPER_WIDTHS:
            raise ValueError(f"paper must be one of {PAPER_WIDTHS} mm, not {self.paper_mm}")
        if self.chinese not in CHINESE_MODES:
            raise ValueError(f"chinese mode must be one of {', '.join(CHINESE_MODES)}")

    @property
    def dots(self) -> int:
        """Printable width in dots at 203 dpi."""
        return DOTS[self.paper_mm]

    @property
    def columns(self) -> int:
        """ASCII columns in font A; a CJK character takes two."""
        return COLUMNS[self.paper_mm]

    @property
    def font(self) -> str:
        return self.font_path or os.environ.get("SHOWROOM_PRINT_FONT") or DEFAULT_FONT
