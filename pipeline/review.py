"""Review pages: a report's text with every mention highlighted by label (displaCy's entity
renderer), skipped sections greyed, and a side table of its cases.

Each page is one self-contained HTML file (inline CSS, no script, no web font), readable
offline from disk; `index.html` links them.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

import pandas as pd
from spacy import displacy

from casex.io.doc_ids import DocIdError, doc_file
from casex.io.records import load_records
from casex.io.writers import write_text_atomic
from casex.labels import FLAGS, LABEL_COLORS, LABELS
from casex.tables import cases_frame

log = logging.getLogger(__name__)

INDEX = "index.html"
OTHER_LABEL_COLOR = "#dddddd"
# displaCy's entity template with the mention's id, flags and fields on the <mark>.
MENTION_TEMPLATE = (
    '<mark class="entity {classes}" data-mention="{mention_id}" data-label="{label}" '
    'title="{tooltip}" style="background: {bg}">{text}'
    '<span class="entity-label">{label}</span>{kb_link}</mark>'
)
CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0;
  color: #1d1d1f; background: #fff; }
header { padding: 1rem 2rem; border-bottom: 1px solid #ddd; background: #fafafa; }
header h1 { font-size: 1.3rem; margin: 0.3rem 0; }
.meta { color: #666; font-size: 0.85rem; margin: 0.2rem 0; }
.legend { font-size: 0.85rem; margin: 0.4rem 0 0; }
.chip { display: inline-block; padding: 0.1em 0.5em; border-radius: 0.3em; margin-right: 0.4em;
  background: #eee; }
.layout { display: grid; grid-template-columns: minmax(0, 1fr) 24rem; gap: 2rem;
  padding: 1rem 2rem; }
main { max-width: 60rem; }
aside { position: sticky; top: 0; align-self: start; max-height: 100vh; overflow: auto;
  font-size: 0.85rem; }
.report-section { position: relative; padding: 0.2rem 0.6rem; border-radius: 0.3rem; }
.section-tag { position: absolute; right: 0.4rem; top: 0.2rem; font-size: 0.7rem; color: #999; }
.report-section.skipped { color: #9a9a9a; background: #f1f1f1; }
.report-section.skipped mark.entity { opacity: 0.6; }
.page-mark { border-top: 1px dashed #b0b0b0; color: #9a9a9a; font-size: 0.8em; margin: 0.8em 0; }
.page-mark .furniture { margin: 0.2em 0 0 1em; padding: 0; background: #f1f1f1; }
.entities { line-height: 2.1 !important; }
mark.entity { padding: 0.15em 0.35em; margin: 0 0.1em; border-radius: 0.3em; line-height: 1;
  color: #1d1d1f; }
.entity-label { font-size: 0.62em; font-weight: bold; margin-left: 0.35em;
  vertical-align: middle; }
mark.negated { text-decoration: line-through; }
mark.uncertain, mark.hypothetical { outline: 2px dashed #777; }
table { border-collapse: collapse; width: 100%; margin-bottom: 1rem; }
caption { text-align: left; font-weight: bold; padding: 0.3rem 0; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.4rem; text-align: left;
  vertical-align: top; }
th { background: #f5f5f5; font-weight: 600; white-space: nowrap; }
"""


class ReviewResult(NamedTuple):
    pages: list[Path]
    failures: list[dict]


def make_review(pred_dir: Path, out_dir: Path) -> ReviewResult:
    """A review page per record in `pred_dir` and `index.html`, written to `out_dir`; one
    failure ({"file", "reason"}) per file that is no record or whose doc_id names no file.

    Records carry their text, so the reports themselves are never read."""
    records, failures = load_records(pred_dir)
    pages, shown = [], []
    for record in records:
        try:
            path = doc_file(out_dir, record["doc_id"], ".html")
        except DocIdError as error:
            failures.append({"file": str(pred_dir), "reason": str(error)})
            continue
        write_text_atomic(path, review_page(record))
        pages.append(path)
        shown.append(record)
    write_text_atomic(out_dir / INDEX, index_page(shown))
    return ReviewResult([*pages, out_dir / INDEX], failures)


def review_page(record: dict) -> str:
    """The HTML page of one record, over the report text it carries."""
    text = record["text"]
    mentions, hidden = shown_mentions(record["mentions"])
    if hidden:
        log.warning("%s: %d overlapping mention(s) not highlighted", record["doc_id"], hidden)
    layout = record.get("layout") or {"pages": [], "furniture": []}
    page_at = {p["start"]: p["page"] for p in layout["pages"]}
    sections = "".join(
        (_page_mark(page_at[start], layout["furniture"]) if start in page_at else "")
        + _section_html(text, start, end, section, mentions)
        for start, end, section in text_segments(
            len(text), record["sections"], mentions, sorted(page_at)
        )
    )
    counts = dict.fromkeys(LABELS, 0)
    for mention in record["mentions"]:
        counts[mention["label"]] = counts.get(mention["label"], 0) + 1
    legend = "".join(
        f'<span class="chip" style="background: {_color(label)}">{_escape(label)} {count}</span>'
        for label, count in counts.items()
    )
    legend += (
        '<span class="chip report-section skipped">skipped section</span>'
        '<mark class="chip entity negated">negated</mark>'
        '<mark class="chip entity uncertain">uncertain or hypothetical</mark>'
    )
    title = _document_title(record) or record["doc_id"]
    source = Path(record["source"]).name if record.get("source") else "text given as a string"
    meta = (
        f"{_escape(record['doc_id'])} · {_escape(source)} · sha256 "
        f"{_escape(record['sha256'][:12])} · casex {_escape(record.get('casex_version', ''))} · "
        f"{len(record['mentions'])} mentions, {len(record['relations'])} relations"
    )
    return _page(
        f"casex review: {record['doc_id']}",
        f'<header><a href="{INDEX}">All reports</a><h1>{_escape(title)}</h1>'
        f'<p class="meta">{meta}</p><p class="legend">{legend}</p></header>'
        f'<div class="layout"><main>{sections}</main>'
        f"<aside><h2>Cases</h2>{cases_html(cases_frame([record]))}</aside></div>",
    )


def index_page(records: list[dict]) -> str:
    """The page linking every review page, with each report's counts per label."""
    head = "".join(f"<th>{_escape(label)}</th>" for label in LABELS)
    rows = []
    for record in records:
        labels = [m["label"] for m in record["mentions"]]
        counts = "".join(f"<td>{labels.count(label)}</td>" for label in LABELS)
        page = quote(record["doc_id"] + ".html")
        rows.append(
            f'<tr><td><a href="{_escape(page)}">'
            f"{_escape(record['doc_id'])}</a></td>"
            f"<td>{_escape(_document_title(record) or '')}</td>"
            f"<td>{len(record['cases'])}</td>{counts}</tr>"
        )
    return _page(
        "casex review",
        "<header><h1>casex review</h1>"
        f'<p class="meta">{len(records)} report(s)</p></header>'
        '<div style="padding: 1rem 2rem"><table><tr><th>report</th><th>title</th>'
        f"<th>cases</th>{head}</tr>{''.join(rows)}</table></div>",
    )


def cases_html(cases: pd.DataFrame) -> str:
    """One small two-column table per case: each column of the cases table and its value."""
    if cases.empty:
        return "<p>No case.</p>"
    tables = []
    for case in cases.to_dict("records"):
        cells = "".join(
            f"<tr><th>{_escape(column)}</th><td>{_escape(_cell(value))}</td></tr>"
            for column, value in case.items()
            if column not in ("doc_id", "case_id")
        )
        tables.append(f"<table><caption>{_escape(_cell(case['case_id']))}</caption>{cells}</table>")
    return "".join(tables)


def shown_mentions(mentions: list[dict]) -> tuple[list[dict], int]:
    """Mentions in text order without overlaps (displaCy marks cannot nest), and how many
    overlapping ones were left out."""
    shown: list[dict] = []
    for mention in sorted(mentions, key=lambda m: (m["start"], -m["end"])):
        if not shown or mention["start"] >= shown[-1]["end"]:
            shown.append(mention)
    return shown, len(mentions) - len(shown)


def text_segments(
    text_length: int, sections: list[dict], mentions: list[dict], cuts: list[int] = ()
) -> list[tuple[int, int, dict | None]]:
    """(start, end, section) pieces covering the whole text in order, None where no section
    is, also cut at `cuts` (page starts); a piece never cuts a mention (its end moves to the
    mention's end)."""
    whole: list[tuple[int, int, dict | None]] = []
    position = 0
    for section in sorted(sections, key=lambda s: s["start"]):
        if section["start"] > position:
            whole.append((position, section["start"], None))
        start = max(section["start"], position)
        if section["end"] > start:
            whole.append((start, section["end"], section))
            position = section["end"]
    if position < text_length:
        whole.append((position, text_length, None))
    pieces = []
    for start, end, section in whole:
        bounds = [start, *(c for c in cuts if start < c < end), end]
        pieces += [(a, b, section) for a, b in zip(bounds, bounds[1:])]
    segments: list[tuple[int, int, dict | None]] = []
    for start, end, section in pieces:
        start = max(start, segments[-1][1]) if segments else start
        end = max([end, *(m["end"] for m in mentions if start <= m["start"] < end)])
        if end > start:
            segments.append((start, end, section))
    return segments


def _section_html(text: str, start: int, end: int, section: dict | None, mentions: list) -> str:
    ents = [
        {
            "start": m["start"] - start,
            "end": m["end"] - start,
            "label": m["label"],
            "params": _mention_params(m),
        }
        for m in mentions
        if start <= m["start"] < end
    ]
    markup = displacy.render(
        {"text": text[start:end], "ents": ents, "title": None},
        style="ent",
        manual=True,
        page=False,
        jupyter=False,
        options={
            "colors": LABEL_COLORS,
            "template": MENTION_TEMPLATE,
        },
    )
    # The id is the piece's character offset, so that `page.html#at-3339` opens at it.
    if section is None:
        return f'<div class="report-section" id="at-{start}">{markup}</div>'
    skipped = section["skipped"]
    tag = f"{section['category']}{' · skipped' if skipped else ''}"
    return (
        f'<section class="report-section{" skipped" if skipped else ""}" id="at-{start}" '
        f'data-category="{_escape(section["category"])}">'
        f'<div class="section-tag">{_escape(tag)}</div>{markup}</section>'
    )


def _page_mark(page: int, furniture: list[dict]) -> str:
    """Where a PDF's page begins, with the furniture its reading left out, greyed."""
    left_out = "".join(
        f"<li>{_escape(item['text'])}</li>" for item in furniture if item["page"] == page
    )
    listing = f'<ul class="furniture">{left_out}</ul>' if left_out else ""
    return f'<div class="page-mark">page {page}{listing}</div>'


def _mention_params(mention: dict) -> dict[str, str]:
    fields = ", ".join(f"{k}={v}" for k, v in mention["normalized"].items() if v is not None)
    flags = [flag for flag in FLAGS if mention[flag]]
    tooltip = " · ".join(
        part
        for part in (mention["id"], mention["label"], mention["case_id"], *flags, fields)
        if part
    )
    return {
        "mention_id": _escape(mention["id"]),
        "label": _escape(mention["label"]),
        "classes": " ".join(flags),
        "tooltip": _escape(tooltip),
        "bg": _color(mention["label"]),
    }


def _document_title(record: dict) -> str | None:
    titles = [s["title"] for s in record["sections"] if s["category"] == "title" and s["title"]]
    return titles[0] if titles else None


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_escape(title)}</title><style>{CSS}</style></head>"
        f"<body>{body}</body></html>\n"
    )


def _color(label: str) -> str:
    return LABEL_COLORS.get(label, OTHER_LABEL_COLOR)


def _cell(value: object) -> str:
    return "" if value is None or value is pd.NA else str(value)


def _escape(value: str) -> str:
    return html.escape(value, quote=True)
