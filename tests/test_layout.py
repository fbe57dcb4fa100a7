"""Journal PDFs and hard-wrapped text give the mentions of the clean text (issue 10)."""

import re
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from parity import FIXTURES, hard_wrap, mentions  # noqa: E402

from casex.io.readers import read_report  # noqa: E402

REPORTS = sorted((ROOT / "corpus" / "raw").glob("[012]*.txt"))


def _ratio(clean: Counter, other: Counter) -> tuple[float, float]:
    matched = sum((clean & other).values())
    return matched / max(sum(clean.values()), 1), matched / max(sum(other.values()), 1)


@pytest.mark.parametrize("layout", ["bmc", "elsevier", "onecol"])
def test_journal_pdfs_read_like_their_clean_text(layout):
    clean_total, read_total = Counter(), Counter()
    for pdf in sorted(FIXTURES.glob(f"*.{layout}.pdf")):
        text = read_report(pdf).text
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe]", text), pdf.name
        clean, _ = mentions(pdf.with_suffix(".txt").read_text(encoding="utf-8"))
        read, _ = mentions(text)
        # keep documents apart: the same key in two documents is two mentions
        clean_total.update({(pdf.name, *key): n for key, n in clean.items()})
        read_total.update({(pdf.name, *key): n for key, n in read.items()})
    recall, precision = _ratio(clean_total, read_total)
    assert recall >= 0.95 and precision >= 0.98, (recall, precision)


@pytest.mark.parametrize("width", [70, 80])
def test_hard_wrapped_text_reads_like_the_clean_text(width):
    totals = {"mentions": [Counter(), Counter()], "relations": [Counter(), Counter()]}
    for report in REPORTS:
        text = report.read_text(encoding="utf-8")
        wrapped = hard_wrap(text, width)
        assert wrapped != text and len(wrapped) == len(text)
        for kind, clean, read in zip(totals, mentions(text), mentions(wrapped)):
            totals[kind][0].update({(report.name, *k): n for k, n in clean.items()})
            totals[kind][1].update({(report.name, *k): n for k, n in read.items()})
    mention_recall, mention_precision = _ratio(*totals["mentions"])
    relation_recall, _ = _ratio(*totals["relations"])
    assert mention_recall >= 0.97 and mention_precision >= 0.97
    assert relation_recall >= 0.95


def test_a_text_layer_of_unmapped_characters_is_an_error():
    from casex.io.errors import ReportError
    from casex.io.pdf import _without_unmapped

    with pytest.raises(ReportError, match="no Unicode meaning"):
        _without_unmapped("\x1dudarabine \x1e\x1f\x1d\x1e was given")
    assert _without_unmapped("a" * 1000 + "\x1d") == "a" * 1000


def test_a_pdf_record_keeps_its_pages_and_furniture_and_the_review_page_shows_them(nlp):
    from casex.record import to_record
    from casex.review import review_page
    from casex.version import pipeline_version

    report = read_report(FIXTURES / "101_dlbcl_rchop_us.bmc.pdf")
    record = to_record(report, nlp(report.text)._.casex_extraction, pipeline_version())
    pages = record["layout"]["pages"]
    assert [p["page"] for p in pages] == [1, 2] and pages[0]["start"] == 0
    furniture = [item["text"] for item in record["layout"]["furniture"]]
    assert "Page 1 of 2" in furniture and "Page 2 of 2" in furniture
    assert not any("Page 1 of 2" in m["text"] for m in record["mentions"])
    html = review_page(record)
    assert html.count('class="page-mark"') == 2 and "Page 2 of 2" in html
