"""Reports from disk or from a string: the text as read, with its identity (doc_id, sha256,
source).

Text files are decoded by their byte-order mark (UTF-8, UTF-16, UTF-32), else as UTF-8,
else by charset-normalizer's best guess (with a warning); a file with NUL bytes and no
byte-order mark is binary and refused.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from casex.io.errors import ReportError
from casex.io.pdf import read_pdf

log = logging.getLogger(__name__)
SUFFIXES = {".txt", ".pdf"}
# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True)
class Report:
    doc_id: str
    text: str
    sha256: str
    source: str | None  # the absolute path read, or None for text given as a string
    layout: dict | None = None  # a PDF's pages and the furniture its reading left out


def read_report(path: Path, max_chars: int | None = None) -> Report:
    """Read one .txt or .pdf report; the text is never changed after this point."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ReportError(
            f"unsupported extension {path.suffix or '(none)'!r}; expected .txt or .pdf"
        )
    data = path.read_bytes()
    if not data.strip():
        raise ReportError("empty file")
    layout = None
    if suffix == ".pdf":
        text, layout = read_pdf(data)
    else:
        text = decode_text(data, path)
    if not text.strip():
        raise ReportError("no text in file")
    if max_chars is not None and len(text) > max_chars:
        raise ReportError(
            f"{len(text):,} characters, above the limit of {max_chars:,} (see --max-chars)"
        )
    return Report(path.stem, text, hashlib.sha256(data).hexdigest(), str(path.resolve()), layout)


def report_from_text(text: str, doc_id: str) -> Report:
    """A report given as a string; its sha256 is that of its UTF-8 bytes."""
    return Report(doc_id, text, hashlib.sha256(text.encode("utf-8")).hexdigest(), None)


def decode_text(data: bytes, path: Path | str) -> str:
    """The text of a text file's bytes (see the module docstring)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as error:
                raise ReportError(
                    f"invalid {encoding} after its byte-order mark: {error.reason}"
                ) from None
    if b"\x00" in data:
        raise ReportError("binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    guess = from_bytes(data).best()
    if guess is None:
        raise ReportError("not text in any known encoding")
    log.warning("%s: not UTF-8, read as %s", path, guess.encoding)
    return str(guess)
