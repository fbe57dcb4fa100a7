"""Compare PDF text libraries on a two-column PDF of the reference paper: speed and text quality.

Usage: python benchmarks/pdf_readers.py   (needs the `bench` extra: pypdf, pdfplumber, reportlab)
Quality: word-sequence similarity to the source text, line-end hyphens left, symbols kept.
"""

from __future__ import annotations

import difflib
import re
import tempfile
import time
from pathlib import Path

from make_two_column_pdf import write_pdf

from casex.io.pdf import pdf_text

CORPUS = Path(__file__).resolve().parents[1] / "corpus"

SOURCE = CORPUS / "raw" / "000_56345bc36a9b29ac.txt"
SYMBOLS = ("μL", "×", "≥", "’")


def read_pypdfium2(path: Path) -> str:
    return pdf_text(path.read_bytes())


def read_pypdf(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def read_pdfplumber(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def quality(source: str, text: str) -> dict:
    words_source, words_text = source.split(), text.split()
    matcher = difflib.SequenceMatcher(None, words_source, words_text, autojunk=False)
    return {
        "word_similarity": round(matcher.ratio(), 4),
        "hyphen_breaks_left": len(re.findall(r"[a-z]-\s*\n\s*[a-z]|\ufffe", text)),
        "symbols_kept": sum(source.count(s) == text.count(s) for s in SYMBOLS),
    }


def main() -> None:
    source = SOURCE.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "reference_two_column.pdf"
        write_pdf(source, pdf)
        pages = len(__import__("pypdfium2").PdfDocument(pdf))
        print(f"two-column PDF of the reference paper: {pages} pages")
        print(
            f"{'library':<12} {'license':<14} {'pages/s':>8} {'similarity':>10} {'hyphens':>8} "
            f"{'symbols':>8}"
        )
        for name, reader, license_name in (
            ("pypdfium2", read_pypdfium2, "Apache/BSD"),
            ("pypdf", read_pypdf, "BSD"),
            ("pdfplumber", read_pdfplumber, "MIT"),
        ):
            start = time.perf_counter()
            rounds = 0
            while time.perf_counter() - start < 2 or rounds < 2:
                text = reader(pdf)
                rounds += 1
            speed = rounds * pages / (time.perf_counter() - start)
            q = quality(source, text)
            print(
                f"{name:<12} {license_name:<14} {speed:>8.0f} {q['word_similarity']:>10} "
                f"{q['hyphen_breaks_left']:>8} {q['symbols_kept']:>6}/{len(SYMBOLS)}"
            )


if __name__ == "__main__":
    main()
