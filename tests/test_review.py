"""Review pages: mentions highlighted in the text, skipped sections greyed, cases beside; the
page renders in headless Chromium with every mention in its DOM."""

import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from casex.cli import app
from casex.io.readers import read_report
from casex.io.writers import write_json_atomic
from casex.record import to_record
from casex.review import index_page, review_page, shown_mentions, text_segments
from casex.version import pipeline_version

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO / "corpus" / "raw" / "000_56345bc36a9b29ac.txt"
SCREENSHOT = REPO / "outputs" / "review-screenshot.png"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
runner = CliRunner()


class MarkCollector(HTMLParser):
    """The highlighted mentions of a page: (data-mention, data-label, class, text) per <mark>."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[dict] = []
        self.sections: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "mark" and "data-mention" in attributes:
            self._open = {**attributes, "text": ""}
        elif tag == "span" and self._open is not None:
            self.marks.append(self._open)
            self._open = None
        elif tag == "section":
            self.sections.append(attributes)

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open["text"] += data


def _marks(markup: str) -> MarkCollector:
    collector = MarkCollector()
    collector.feed(markup)
    return collector


@pytest.fixture(scope="module")
def reference(nlp):
    report = read_report(REFERENCE)
    extraction = nlp(report.text)._.casex_extraction
    return report.text, to_record(report, extraction, pipeline_version())


def _mention(mention_id: str, start: int, end: int, **fields) -> dict:
    return {
        "id": mention_id, "label": "DRUG", "text": "x", "start": start, "end": end,
        "case_id": None, "negated": False, "uncertain": False, "historical": False,
        "hypothetical": False, "normalized": {"name": "x", "brand": None}, **fields,
    }  # fmt: skip


def test_segments_cover_the_text_and_never_cut_a_mention():
    sections = [
        {"title": "Case", "category": "case", "start": 5, "end": 20, "skipped": False},
        {"title": "References", "category": "references", "start": 20, "end": 30, "skipped": True},
    ]
    segments = text_segments(40, sections, [_mention("m1", 18, 23)])
    assert [(start, end) for start, end, _ in segments] == [(0, 5), (5, 23), (23, 30), (30, 40)]
    assert [s["category"] if s else None for _, _, s in segments] == [
        None,
        "case",
        "references",
        None,
    ]


def test_overlapping_mentions_keep_the_first_and_longest():
    shown, hidden = shown_mentions(
        [_mention("m2", 3, 5), _mention("m1", 0, 4), _mention("m3", 5, 7)]
    )
    assert [m["id"] for m in shown] == ["m1", "m3"]
    assert hidden == 1


def test_page_escapes_text_and_marks_flags(tmp_path):
    text = "Case\n<b>R&D</b> gave IO & more. Refs: IO trial.\n"
    record = {
        "doc_id": "tiny",
        "source": str(tmp_path / "tiny.txt"),
        "text": text,
        "sha256": "0" * 64,
        "sections": [
            {"title": "Case", "category": "case", "start": 0, "end": 32, "skipped": False},
            {"title": "Refs", "category": "references", "start": 32, "end": 48, "skipped": True},
        ],
        "cases": [{"case_id": "case-1", "age": 50, "sex": "male", "diagnosis": "B-ALL <x>"}],
        "mentions": [
            _mention("m1", 21, 23, text="IO", case_id="case-1", negated=True),
        ],
        "relations": [],
    }
    markup = review_page(record)
    assert "<b>R&amp;D</b>" not in markup
    assert "&lt;b&gt;R&amp;D&lt;/b&gt;" in markup
    assert "B-ALL &lt;x&gt;" in markup
    page = _marks(markup)
    assert [(m["data-mention"], m["text"], m["class"]) for m in page.marks] == [
        ("m1", "IO", "entity negated")
    ]
    assert "m1 · DRUG · case-1 · negated · name=x" == page.marks[0]["title"]
    assert [s["class"] for s in page.sections] == ["report-section", "report-section skipped"]
    assert "<script" not in markup and "http" not in markup


def test_reference_page_highlights_every_mention(reference):
    text, record = reference
    page = _marks(review_page(record))
    expected = [(m["id"], m["label"], m["text"]) for m in record["mentions"]]
    assert [(m["data-mention"], m["data-label"], m["text"]) for m in page.marks] == expected
    skipped = [s for s in page.sections if "skipped" in s["class"]]
    assert {s["data-category"] for s in skipped} >= {"references", "front", "keywords"}


def test_index_links_every_page(reference):
    _, record = reference
    markup = index_page([record])
    assert f'href="{record["doc_id"]}.html"' in markup


def _chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs Debian's chromium package")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return found


def _run_chromium(chromium: str, profile: Path, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *arguments],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )


def test_review_page_renders_in_chromium(reference, tmp_path):
    chromium = _chromium()
    text, record = reference
    json_dir = tmp_path / "json"
    write_json_atomic(json_dir / f"{record['doc_id']}.json", record)
    result = runner.invoke(
        app, ["review", "--pred", str(json_dir), "--out", str(tmp_path / "review")]
    )
    assert result.exit_code == 0, result.output
    page = tmp_path / "review" / f"{record['doc_id']}.html"
    assert (tmp_path / "review" / "index.html").exists()

    dom = _run_chromium(chromium, tmp_path / "profile", "--dump-dom", page.as_uri()).stdout
    rendered = _marks(dom)
    assert len(rendered.marks) == len(record["mentions"]) > 100
    for mark, mention in zip(rendered.marks, record["mentions"]):
        assert (mark["data-mention"], mark["text"]) == (mention["id"], mention["text"])
    assert any("skipped" in s["class"] for s in rendered.sections)

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    SCREENSHOT.unlink(missing_ok=True)
    _run_chromium(
        chromium,
        tmp_path / "profile",
        f"--screenshot={SCREENSHOT}",
        "--window-size=1280,900",
        page.as_uri(),
    )
    assert SCREENSHOT.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert SCREENSHOT.stat().st_size > 20_000


def test_review_needs_no_report_file_and_runs_from_any_folder(reference, tmp_path, monkeypatch):
    _, record = reference
    json_dir = tmp_path / "data" / "json"
    # The report is gone, read from a PDF, or given as a string: the record's text serves.
    write_json_atomic(json_dir / "gone.json", {**record, "doc_id": "gone", "source": "/x/a.txt"})
    write_json_atomic(json_dir / "paper.json", {**record, "doc_id": "paper", "source": "/x/a.pdf"})
    write_json_atomic(json_dir / "given.json", {**record, "doc_id": "given", "source": None})
    write_json_atomic(json_dir / "broken.json", {"doc_id": "broken"})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = runner.invoke(app, ["review", "--pred", "../data/json", "--out", "pages"])
    assert result.exit_code == 1
    assert "broken.json: not a casex record" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in (elsewhere / "pages").iterdir()) == [
        "given.html",
        "gone.html",
        "index.html",
        "paper.html",
    ]
    page = _marks((elsewhere / "pages" / "paper.html").read_text(encoding="utf-8"))
    assert len(page.marks) == len(record["mentions"])
    assert "text given as a string" in (elsewhere / "pages" / "given.html").read_text("utf-8")


@pytest.mark.parametrize("doc_id", ["../../x", "/tmp/abs", "a/b", "..", "", "bad\nline"])
def test_review_refuses_a_doc_id_that_is_no_file_name(reference, tmp_path, doc_id):
    _, record = reference
    write_json_atomic(tmp_path / "json" / "bad.json", {**record, "doc_id": doc_id})
    out = tmp_path / "deep" / "er" / "out"
    result = runner.invoke(app, ["review", "--pred", str(tmp_path / "json"), "--out", str(out)])
    assert result.exit_code == 1
    assert "cannot name a file" in result.output
    assert len(result.output.strip().splitlines()) == 2  # the error and the summary
    assert [p.name for p in out.iterdir()] == ["index.html"]
    assert sorted(p.name for p in tmp_path.rglob("*.html")) == ["index.html"]


def test_review_page_escapes_everything_from_data(reference):
    _, record = reference
    evil = "<script>alert(1)</script>"
    mention = {**record["mentions"][0], "id": f'm1"{evil}', "case_id": None}
    mention["normalized"] = {**mention["normalized"], "name": evil}
    forged = {
        **record,
        "doc_id": f"x{evil}",
        "source": f"/r/{evil}.txt",
        "casex_version": evil,
        "sections": [
            {"title": evil, "category": f'title"{evil}', "start": 0, "end": 10, "skipped": False}
        ],
        "cases": [{"case_id": "case-1", "age": 1, "sex": None, "diagnosis": evil}],
        "mentions": [mention],
        "relations": [],
    }
    for markup in (review_page(forged), index_page([forged])):
        assert "<script" not in markup
        assert "&lt;script&gt;" in markup
