"""Lay a text out as a two-column PDF with line-end hyphenation (for PDF reader checks).

Usage: python benchmarks/make_two_column_pdf.py INPUT.txt OUTPUT.pdf [LINES_PER_COLUMN]
Needs reportlab and the DejaVu Sans font (Debian's fonts-dejavu-core) for μ, ×, ≥.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
COLUMN_CHARS = 48
LINE_HEIGHT = 11
MARGIN = 40


def column_lines(text: str) -> list[str]:
    """Lines of one column; long words are broken with a hyphen, blank lines kept."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        wrapped = textwrap.wrap(
            paragraph, COLUMN_CHARS, break_long_words=False, break_on_hyphens=False
        )
        lines += _hyphenate(wrapped) or [""]
    return lines


def _hyphenate(lines: list[str]) -> list[str]:
    """Move the first part of a long next word to the end of a short line, with a hyphen."""
    out = list(lines)
    for i in range(len(out) - 1):
        head, _, rest = out[i + 1].partition(" ")
        room = COLUMN_CHARS - len(out[i]) - 2
        if len(head) >= 9 and head.isalpha() and room >= 4:
            cut = min(room, len(head) - 4)
            out[i] = f"{out[i]} {head[:cut]}-"
            out[i + 1] = f"{head[cut:]} {rest}".strip()
    return out


def write_pdf(text: str, path: Path, lines_per_column: int | None = None) -> None:
    pdfmetrics.registerFont(TTFont("DejaVu", FONT))
    page = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    per_column = lines_per_column or int((height - 2 * MARGIN) / LINE_HEIGHT)
    lines = column_lines(text)
    columns = [lines[i : i + per_column] for i in range(0, len(lines), per_column)]
    for index, column in enumerate(columns):
        if index and index % 2 == 0:
            page.showPage()
        x = MARGIN if index % 2 == 0 else width / 2 + 10
        page.setFont("DejaVu", 8.5)
        for row, line in enumerate(column):
            page.drawString(x, height - MARGIN - row * LINE_HEIGHT, line)
    page.save()


if __name__ == "__main__":
    lines = int(sys.argv[3]) if len(sys.argv) > 3 else None
    write_pdf(Path(sys.argv[1]).read_text(encoding="utf-8"), Path(sys.argv[2]), lines)
