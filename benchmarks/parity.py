"""PDF and hard-wrapped text against clean text: does casex find the same mentions?

Usage: python benchmarks/parity.py [--wrap 76] [--fixtures DIR]

For each fixture in benchmarks/pdf_fixtures (a journal-style PDF and its companion clean
text) and for each bundled report hard-wrapped at --wrap columns, compares the mentions as
(label, key, case) multisets, the key being what a curator groups by (marker and status,
drug name, dose value and unit, analyte and value, response category), and prints recall
(the clean text's mentions found again) and precision (of what the PDF or wrapped text
gives), per layout, with relations for wrapped text.
"""

from __future__ import annotations

import argparse
import textwrap
from collections import Counter
from pathlib import Path

from casex.io.readers import read_report
from casex.nlp import shared_nlp

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "benchmarks" / "pdf_fixtures"
KEYS = {
    "IMMUNOPHENOTYPE": ("marker", "expression"),
    "DRUG": ("name",),
    "DOSE": ("value", "unit"),
    "LAB_VALUE": ("analyte", "value"),
    "RESPONSE": ("category",),
    "ADVERSE_EVENT": ("term", "grade"),
    "THERAPY": ("kind", "name"),
    "GENETICS": ("name", "status"),
}


def mentions(text: str) -> tuple[Counter, Counter]:
    extraction = shared_nlp()(text)._.casex_extraction
    found = extraction["mentions"]
    keys = [
        (m["label"], tuple(m["normalized"].get(k) for k in KEYS[m["label"]]), m["case_id"])
        for m in found
    ]
    relations = [(r["type"], keys[r["head"]], keys[r["tail"]]) for r in extraction["relations"]]
    return Counter(keys), Counter(relations)


def compare(clean: Counter, other: Counter) -> tuple[int, int, int]:
    """(matched, in clean, in other)."""
    return sum((clean & other).values()), sum(clean.values()), sum(other.values())


def hard_wrap(text: str, width: int) -> str:
    return "\n".join(
        textwrap.fill(line, width, break_long_words=False, break_on_hyphens=False)
        for line in text.split("\n")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wrap", type=int, default=76)
    parser.add_argument("--fixtures", type=Path, default=FIXTURES, help="PDFs with companions")
    args = parser.parse_args()
    totals: dict[str, list[int]] = {}
    for pdf in sorted(args.fixtures.glob("*.pdf")):
        layout = pdf.stem.split(".")[-1]
        clean, _ = mentions(pdf.with_suffix(".txt").read_text(encoding="utf-8"))
        read, _ = mentions(read_report(pdf).text)
        matched, n_clean, n_read = compare(clean, read)
        total = totals.setdefault(f"pdf {layout}", [0, 0, 0])
        for i, value in enumerate((matched, n_clean, n_read)):
            total[i] += value
    wrapped_relations = [0, 0, 0]
    for report in sorted((ROOT / "corpus" / "raw").glob("[012]*.txt")):
        text = report.read_text(encoding="utf-8")
        clean, clean_relations = mentions(text)
        wrapped, relations = mentions(hard_wrap(text, args.wrap))
        total = totals.setdefault(f"wrapped at {args.wrap}", [0, 0, 0])
        for i, value in enumerate(compare(clean, wrapped)):
            total[i] += value
        for i, value in enumerate(compare(clean_relations, relations)):
            wrapped_relations[i] += value
    for name, (matched, n_clean, n_read) in totals.items():
        print(
            f"{name:<16} recall {matched / n_clean:.3f}  precision {matched / n_read:.3f}  "
            f"({matched} of {n_clean} clean, {n_read} read)"
        )
    matched, n_clean, n_read = wrapped_relations
    print(f"{'wrapped rel.':<16} recall {matched / n_clean:.3f}  precision {matched / n_read:.3f}")


if __name__ == "__main__":
    main()
