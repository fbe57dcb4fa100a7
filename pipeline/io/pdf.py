"""PDF to text with pypdfium2 (reading order across columns, Apache/BSD licensed)."""

from __future__ import annotations

import re

import pypdfium2 as pdfium

from casex.io.errors import ReportError

# A word broken at the end of a line: `nega-\ntivity` becomes `negativity`. pdfium itself
# joins the lines of a hyphen it recognises and leaves U+FFFE where the hyphen was.
_HYPHENATION = re.compile(r"(?<=[a-z])(?:-\r?\n|\ufffe)(?=[a-z])")


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF, pages separated by a blank line, line-end hyphens undone."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise ReportError(f"corrupt PDF ({error})") from None
    try:
        pages = []
        for page in document:
            text_page = page.get_textpage()
            pages.append(text_page.get_text_range().replace("\r\n", "\n"))
    finally:
        document.close()
    text = _HYPHENATION.sub("", "\n\n".join(pages))
    if not text.strip():
        raise ReportError("PDF has no text layer (scanned image?)")
    return text
