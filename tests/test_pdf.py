"""PDF reports: a two-column page with line-end hyphenation and clinical symbols
(tests/data/two_column.pdf, made by benchmarks/make_two_column_pdf.py from two_column.txt)."""

from pathlib import Path

import pytest

from casex.io.errors import ReportError
from casex.io.pdf import _hyphen, pdf_text
from casex.io.readers import read_report

DATA = Path(__file__).parent / "data"
FIXTURES = Path(__file__).parents[1] / "benchmarks" / "pdf_fixtures"


@pytest.fixture(scope="module")
def report():
    return read_report(DATA / "two_column.pdf")


def test_columns_read_in_order(report):
    words = report.text.split()
    assert words.index("remission") < words.index("negativity.") < words.index("throughout.")


def test_hyphenation_is_undone(report):
    assert "Immunohistochemistry confirmed" in report.text
    assert "\ufffe" not in report.text and "-\n" not in report.text


@pytest.mark.parametrize("symbol", ["μL", "× 10^9/L", "≥ 0 %", "CD19"])
def test_symbols_survive(report, symbol):
    assert symbol in report.text


def test_pdf_report_is_extracted(nlp, report):
    mentions = nlp(report.text)._.casex_extraction["mentions"]
    found = {(m["label"], report.text[m["start"] : m["end"]]) for m in mentions}
    assert {
        ("DRUG", "inotuzumab ozogamicin"),
        ("DOSE", "0.8 mg/m2"),
        ("LAB_VALUE", "92,000/μL"),
        ("IMMUNOPHENOTYPE", "CD20"),
    } <= found


def test_text_without_a_pdf_layer_is_an_error():
    with pytest.raises(ReportError, match="corrupt PDF"):
        pdf_text(b"%PDF-1.4\nnot a pdf")


def test_pdf_without_text_layer_is_an_error(tmp_path):
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    document.new_page(595, 842)
    path = tmp_path / "scan.pdf"
    document.save(path)
    with pytest.raises(ReportError, match="no text layer"):
        read_report(path)


@pytest.mark.parametrize(
    ("before", "after", "joined"),
    [
        ("Immuno", "histochemistry", "Immunohistochemistry"),  # typesetter hyphenation
        ("rituximab", "cyclophosphamide", "rituximab-cyclophosphamide"),  # two words
        ("G", "banded", "G-banded"),  # a letter
        ("BCR", "ABL1", "BCR-ABL1"),  # an acronym
        ("CD10", "positive", "CD10-positive"),  # a marker
        ("Ki", "67", "Ki-67"),
    ],
)
def test_line_end_hyphens(before, after, joined):
    assert _hyphen(before, after) == joined


def test_a_centred_title_split_by_a_label_reads_whole():
    """The title's centred lines are one paragraph, also where a label beside its first line
    or a colon at a line end splits it."""
    report = read_report(FIXTURES / "405_lithium_toxicity.bmc.pdf")
    title = report.text.split("\n")[0]
    assert title.startswith("Chronic lithium intoxication precipitated by an angiotensin")
    assert title.endswith("in an older man with bipolar I disorder")
