"""Reports from disk: text files and PDFs, with their identity (doc_id, sha256, source)."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from casex.io.errors import ReportError
from casex.io.pdf import pdf_text

log = logging.getLogger(__name__)
SUFFIXES = {".txt", ".pdf"}


@dataclass(frozen=True)
class Report:
    doc_id: str
    text: str
    sha256: str
    source: str


def read_report(path: Path) -> Report:
    """Read one .txt or .pdf report; the text is never changed after this point."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ReportError(
            f"unsupported extension {path.suffix or '(none)'!r}; expected .txt or .pdf"
        )
    data = path.read_bytes()
    if not data.strip():
        raise ReportError("empty file")
    text = pdf_text(data) if suffix == ".pdf" else _decode(data, path)
    if not text.strip():
        raise ReportError("no text in file")
    return Report(path.stem, text, hashlib.sha256(data).hexdigest(), str(path))


def find_reports(paths: list[Path]) -> list[Path]:
    """Files given, and the .txt/.pdf files under folders given, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
            )
        else:
            found.append(path)
    return found


def _decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        log.warning("%s: not UTF-8, read as Windows-1252", path)
        return data.decode("cp1252", errors="replace")
