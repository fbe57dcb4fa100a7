"""The JSON record of one report (EXTRACTION_SPEC section 6): the only code that knows it."""

from __future__ import annotations

import json
from functools import lru_cache

from casex.io.readers import Report
from casex.paths import PACKAGE_DIR

SCHEMA_VERSION = "1.0"
MENTION_KEYS = (
    "id",
    "label",
    "text",
    "start",
    "end",
    "section",
    "case_id",
    "negated",
    "uncertain",
    "historical",
    "hypothetical",
    "normalized",
)


def to_record(report: Report, extraction: dict, casex_version: str) -> dict:
    """Spec record from a report and the pipeline's plain extraction (`doc._.casex_extraction`).

    Two keys go beyond the spec: `casex_version` (casex's version and a digest of its rules)
    tells which rules made the record, so that a re-run can skip current records; `text`,
    the document text as read, makes the record stand alone (review, tables and gold need
    no access to the report file, and a PDF's text is the one its offsets index). A PDF's
    record also has `layout`: where each page begins in the text, and the page furniture
    (running heads, footers, page numbers) its reading left out.
    """
    mentions = []
    for number, mention in enumerate(extraction["mentions"], start=1):
        item = dict(mention, id=f"m{number}", text=report.text[mention["start"] : mention["end"]])
        mentions.append({key: item[key] for key in MENTION_KEYS})
    relations = [
        {"type": r["type"], "head": mentions[r["head"]]["id"], "tail": mentions[r["tail"]]["id"]}
        for r in extraction["relations"]
    ]
    return {
        "schema_version": SCHEMA_VERSION,
        "doc_id": report.doc_id,
        "source": report.source,
        "sha256": report.sha256,
        "casex_version": casex_version,
        "text": report.text,
        "sections": extraction["sections"],
        "cases": extraction["cases"],
        "mentions": mentions,
        "relations": relations,
    } | ({"layout": report.layout} if report.layout else {})


@lru_cache(maxsize=1)
def record_schema() -> dict:
    """The JSON Schema the package ships for records."""
    return json.loads((PACKAGE_DIR / "record.schema.json").read_text(encoding="utf-8"))
