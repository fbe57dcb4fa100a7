"""PDF to text with pypdfium2 (Apache/BSD): casex's own reading of a journal page.

pdfium gives the characters in reading order (across columns) with their boxes and font
sizes; from them this module rebuilds what the clean text of the report would be:
- page furniture is dropped: lines in the top or bottom band of a page that repeat on other
  pages (running heads, footers), page numbers, and DOI, URL, copyright and journal-banner
  lines;
- a raised, smaller character is a superscript: an exponent after `10` is written `10^9`
  (which the number grammar reads), other superscripts (`m2`, `CD34+`) inline;
- the title (the largest type of page 1) comes first;
- lines are joined into paragraphs; a new paragraph starts after a vertical gap, at an
  indented line, at a change of font size, after a short line that ends a sentence, and at a
  heading or a float (`Table 1`, `Fig. 2`); a float that interrupts a paragraph is written
  after it, so that the paragraph reads on;
- line-end hyphens: pdfium marks the ones it takes for hyphenation (U+0002); a marked hyphen
  between two parts that are words on their own (`rituximab-cyclophosphamide`) or before a
  digit or capital (`Ki-67`, `anti-CD20`) is a real hyphen and kept, else the word is joined
  (`scro-tal`); a plain hyphen at a line end is kept.
Characters without a Unicode meaning (fonts without a map) are dropped when they are a few,
and make the PDF an error when they are more. The text casex reads is this rebuilt text:
every offset of a record indexes it.
"""

from __future__ import annotations

import ctypes
import re
import statistics
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from casex.io.errors import ReportError

_SOFT_HYPHEN = "\x02"  # pdfium's mark for a hyphen it takes for hyphenation
_FURNITURE = re.compile(
    r"\bdoi\b|https?://|www\.|©|\bissn\b|contents lists available|journal homepage"
    r"|^\s*(?:page\s+)?\d+(?:\s*(?:of|/)\s*\d+)?\s*$",
    re.I,
)
# in the top or bottom band of a page: a journal's name, volume, year
_BANNER = re.compile(r"\b(?:volume|vol\.|issue|journal|proceedings|reports?\s+in)\b|·", re.I)
_FLOAT = re.compile(r"^\s*(?:Table|Fig\.?|Figure)\s+\d+[A-Za-z]?\b")
_HEADING = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?\s+)?[A-Z][A-Za-z /&-]{2,60}$")
_BOLD = re.compile(rb"bold|black|heavy|semibold|demi", re.I)
_BAND = 0.09  # top and bottom share of a page where running heads and footers stand


@dataclass
class Line:
    page: int
    chars: list = field(default_factory=list)  # (char, x0, x1, y0, y1, size, bold)

    @property
    def text(self) -> str:
        return "".join(c[0] for c in self.chars)

    @property
    def x0(self) -> float:
        return min(c[1] for c in self.chars)

    @property
    def x1(self) -> float:
        return max(c[2] for c in self.chars)

    @property
    def bottom(self) -> float:
        return min(c[3] for c in self.chars if not c[0].isspace()) if self._ink else 0.0

    @property
    def top(self) -> float:
        return max(c[4] for c in self.chars if not c[0].isspace()) if self._ink else 0.0

    @property
    def size(self) -> float:
        sizes = [c[5] for c in self.chars if not c[0].isspace()]
        return statistics.median(sizes) if sizes else 0.0

    @property
    def _ink(self) -> bool:
        return any(not c[0].isspace() for c in self.chars)

    def bold_at(self, end: int) -> bool:
        """Whether the first (end=0) or last (end=-1) visible character is bold."""
        ink = [c for c in self.chars if not c[0].isspace()]
        return bool(ink) and ink[end][6]


def pdf_text(data: bytes) -> str:
    """The text of a PDF as casex reads it (see the module docstring)."""
    return read_pdf(data)[0]


def read_pdf(data: bytes) -> tuple[str, dict]:
    """The text of a PDF as casex reads it, and what the reading left out or moved: `pages`
    (where each page's text begins) and `furniture` (the lines dropped, by page)."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise ReportError(f"corrupt PDF ({error})") from None
    try:
        lines, heights = [], []
        for number, page in enumerate(document):
            heights.append(page.get_size()[1])
            lines += _page_lines(page.get_textpage(), number)
    finally:
        document.close()
    lines = [line for line in lines if line._ink]
    if not lines:
        raise ReportError("PDF has no text layer (scanned image?)")
    kept = _without_furniture(lines, heights)
    kept_ids = {id(line) for line in kept}
    furniture = [
        {"page": line.page + 1, "text": _UNMAPPED.sub("", line.text.strip())}
        for line in lines
        if id(line) not in kept_ids
    ]
    text, pages = "", []
    for paragraph, page in _paragraphs(kept, heights):
        if text:
            text += "\n\n"
        if not pages or page + 1 > pages[-1]["page"]:
            pages.append({"page": page + 1, "start": len(text)})
        text += paragraph
    if not text.strip():
        raise ReportError("PDF has no text layer (scanned image?)")
    cleaned = _without_unmapped(text)
    if cleaned != text:  # offsets of the page starts move with the dropped characters
        pages = [dict(p, start=len(_without_unmapped(text[: p["start"]]))) for p in pages]
    return cleaned, {"pages": pages, "furniture": furniture}


_UNMAPPED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd\ufffe\uffff]")
UNMAPPED_LIMIT = 0.005  # share of characters a font without a Unicode map may garble


def _without_unmapped(text: str) -> str:
    """Characters of fonts without a Unicode map come out as control codes (`\x1dudarabine`):
    a few are dropped, more make the PDF unreadable, never garbage passed on silently."""
    unmapped = len(_UNMAPPED.findall(text))
    if unmapped > UNMAPPED_LIMIT * len(text):
        raise ReportError(
            f"{unmapped} characters of its text layer have no Unicode meaning (fonts without a "
            "Unicode map); the text cannot be read reliably"
        )
    return _UNMAPPED.sub("", text)


def _page_lines(textpage, number: int) -> list[Line]:
    """The page's characters as lines; a raised superscript stays on its line."""
    raw = textpage.raw
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    font, flags = ctypes.create_string_buffer(128), ctypes.c_int()
    lines = [Line(number)]
    for index in range(textpage.count_chars()):
        char = chr(pdfium_c.FPDFText_GetUnicode(raw, index))
        if char in "\r\n":
            if lines[-1].chars:
                lines.append(Line(number))
            continue
        if not pdfium_c.FPDFText_GetCharBox(raw, index, left, right, bottom, top):
            continue
        size = pdfium_c.FPDFText_GetFontSize(raw, index)
        pdfium_c.FPDFText_GetFontInfo(raw, index, font, len(font), ctypes.byref(flags))
        bold = bool(_BOLD.search(font.value)) or pdfium_c.FPDFText_GetFontWeight(raw, index) >= 600
        ink = [c for c in lines[-1].chars if not c[0].isspace()]
        if ink and left.value < ink[-1][1] - 2 * size and top.value < ink[-1][3]:
            lines.append(Line(number))  # pdfium joined two visual lines (a hyphenated word)
        lines[-1].chars.append((char, left.value, right.value, bottom.value, top.value, size, bold))
    merged: list[Line] = []
    for line in lines:
        if not line.chars:
            continue
        if merged and _same_visual_line(merged[-1], line):
            if line.x0 - merged[-1].x1 > 0.15 * (line.size or 1.0):
                merged[-1].chars.append((" ",) + merged[-1].chars[-1][1:])
            merged[-1].chars += line.chars
        else:
            merged.append(line)
    return [_with_superscripts(line) for line in merged]


def _same_visual_line(previous: Line, line: Line) -> bool:
    """pdfium breaks a line at a raised superscript (`x10` / `9` / `/L`)."""
    if not (previous._ink and line._ink):
        return False
    overlap = min(previous.top, line.top) - max(previous.bottom, line.bottom)
    height = min(previous.top - previous.bottom, line.top - line.bottom) or 1.0
    return overlap > 0.3 * height and line.x0 >= previous.x1 - 1.0


def _with_superscripts(line: Line) -> Line:
    """An exponent after `10` gets a `^`; other superscripts stay inline."""
    size = max((c[5] for c in line.chars), default=0.0)
    baseline = statistics.median([c[3] for c in line.chars if c[5] >= 0.9 * size] or [0.0])
    chars, previous_super = [], False
    for char in line.chars:
        raised = char[5] < 0.85 * size and char[3] > baseline + 0.2 * size
        if raised and not previous_super and char[0] in "0123456789−-⁻":
            written = "".join(c[0] for c in chars).rstrip()
            if written.endswith("10"):
                chars.append(("^",) + tuple(char[1:]))
        chars.append(char)
        previous_super = raised
    line.chars = chars
    return line


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.strip().lower()))


def _without_furniture(lines: list[Line], heights: list[float]) -> list[Line]:
    """Drop running heads, footers, page numbers and banner lines."""

    def in_band(line: Line) -> bool:
        height = heights[line.page]
        return line.top > height * (1 - _BAND) or line.bottom < height * _BAND

    pages_of: dict[str, set[int]] = {}
    for line in lines:
        if in_band(line):
            pages_of.setdefault(_key(line.text), set()).add(line.page)
    kept = []
    for line in lines:
        repeated = in_band(line) and len(pages_of.get(_key(line.text), ())) > 1
        banner = in_band(line) and _BANNER.search(line.text)
        if repeated or banner or _FURNITURE.search(line.text):
            continue
        kept.append(line)
    return kept


def _paragraphs(lines: list[Line], heights: list[float]) -> list[tuple[str, int]]:
    """Lines joined into paragraphs, floats and footnotes written after the paragraph they
    interrupt."""
    body = statistics.median([line.size for line in lines])
    widths = _full_widths(lines)
    paragraphs: list[list[Line]] = []
    floats: list[list[Line]] = []
    in_float = False
    for line in lines:
        if _FLOAT.match(line.text) and line.size <= body * 1.05:
            floats.append([line])
            in_float = True
            continue
        if in_float and line.size < body * 0.95:
            floats[-1].append(line)  # the caption's next lines, the table's rows
            continue
        in_float = False
        footnote = line.size < body * 0.9 and line.bottom < heights[line.page] * 0.25
        if footnote and paragraphs and paragraphs[-1][-1].size >= body * 0.95:
            floats.append([line])  # a footnote in small type at the foot of a page
            in_float = True
            continue
        previous = paragraphs[-1][-1] if paragraphs else None
        if previous is None or _starts_paragraph(previous, line, body, widths):
            if floats:
                paragraphs += floats
                floats = []
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    paragraphs += floats
    return [(_join(paragraph), paragraph[0].page) for paragraph in _title_first(paragraphs)]


def _title_first(paragraphs: list[list[Line]]) -> list[list[Line]]:
    """The title (the largest type of the first page) first, before banners and labels, its
    pieces joined (a label set beside its first line, or a line ending in a colon, splits
    it)."""
    first_page = [p for p in paragraphs if p[0].page == 0]
    if not first_page:
        return paragraphs
    sizes = [statistics.median(line.size for line in p) for p in first_page]
    pieces = [p for p, size in zip(first_page, sizes) if size > 0.98 * max(sizes)]
    title = [line for piece in pieces for line in piece]
    return [title] + [p for p in paragraphs if not any(p is piece for piece in pieces)]


def _full_widths(lines: list[Line]) -> dict[tuple[int, int], float]:
    """Per page and column start (rounded x0), the width of a full line."""
    widths: dict[tuple[int, int], float] = {}
    for line in lines:
        key = (line.page, round(line.x0 / 40))
        widths[key] = max(widths.get(key, 0.0), line.x1 - line.x0)
    return widths


def _starts_paragraph(previous: Line, line: Line, body: float, widths: dict) -> bool:
    size = line.size or body
    if line.bold_at(0) != previous.bold_at(-1):
        return True  # a heading in bold, run in or on its own line, begins or has ended
    if abs(line.size - previous.size) > 0.08 * body:
        return True
    full = widths.get((previous.page, round(previous.x0 / 40)), 0.0)
    short = previous.x1 - previous.x0 < 0.8 * full
    if short and _HEADING.match(previous.text) and len(previous.text.split()) <= 6:
        return True  # `2 Case presentation`, `DISCUSSION`
    same_column = line.page == previous.page and abs(line.x0 - previous.x0) < 3 * size
    if same_column:
        gap = previous.bottom - line.top
        if gap > 0.8 * size:
            return True
        centred = abs(line.x0 + line.x1 - previous.x0 - previous.x1) < size  # a title's lines
        if line.x0 > previous.x0 + 0.8 * size and not centred:
            return True  # an indented first line
    return short and previous.text.rstrip().endswith((".", ":", "?", "!"))


def _join(lines: list[Line]) -> str:
    text = ""
    for line in lines:
        part = re.sub(r"\s+", " ", line.text).strip()
        if not text:
            text = part
        elif text.endswith(_SOFT_HYPHEN):
            text = _hyphen(text[:-1], part)
        elif text.endswith("-") and not text.endswith(" -"):
            text += part
        else:
            text += " " + part
    return text.replace(_SOFT_HYPHEN, "")


_WORD_BEFORE = re.compile(r"([A-Za-z]+)$")
_WORD_AFTER = re.compile(r"^([A-Za-z]+)")


def _hyphen(before: str, after: str) -> str:
    """Join two halves of a line-end hyphen pdfium took for hyphenation, unless a half is not
    a word of letters or the first is a letter or an acronym: `Ki-67`, `anti-CD20`,
    `CD10-positive`, `G-banded`, `BCR-ABL`, or two words that are not one
    (`rituximab-cyclophosphamide`)."""
    left, right = _WORD_BEFORE.search(before), _WORD_AFTER.search(after)
    if not (left and right) or len(left.group(1)) == 1 or left.group(1).isupper():
        return f"{before}-{after}"
    if after[0].isupper() and before[-1].islower():
        return f"{before}-{after}"
    if _is_word(left.group(1)) and _is_word(right.group(1)):
        if not _is_word(left.group(1) + right.group(1)):
            return f"{before}-{after}"
    return before + after


def _is_word(word: str) -> bool:
    from wordfreq import zipf_frequency

    return len(word) >= 2 and zipf_frequency(word.lower(), "en") > 1.0
