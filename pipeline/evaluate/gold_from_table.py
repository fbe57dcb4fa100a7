"""Gold from curated tables: a mentions table a curator corrected (with its relations and
cases tables, when given) back into gold documents (EXTRACTION_SPEC section 7).

Each report's text is the one its record carries (so PDFs and texts in any encoding become
gold), else `<doc_id>.txt` under raw folders; the gold's `text_sha256` is the record's
`sha256`. Every row is checked against that text (`assemble_gold`); a report with one bad
row is refused, with one problem per bad row, and the others become gold.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from casex.evaluate.gold import GoldError, assemble_gold
from casex.evaluate.texts import ReportTexts
from casex.io.doc_ids import doc_id_problem, shown_doc_id
from casex.tables.columns import CASES, MENTIONS, RELATIONS
from casex.tables.curated import curated_case, curated_mention, curated_relation
from casex.tables.files import read_rows

_CURATED = {MENTIONS: curated_mention, RELATIONS: curated_relation, CASES: curated_case}


def gold_from_table(
    mentions_path: Path,
    records_dir: Path | None,
    raw_dirs: list[Path],
    relations_path: Path | None = None,
    cases_path: Path | None = None,
) -> tuple[list[dict], list[dict]]:
    """Gold documents, one per doc_id in the tables, and one failure ({"doc_id", "reason"})
    per problem of a report that is refused (doc_id None for a row without one).

    A table that cannot be read at all raises TableError.
    """
    paths = {MENTIONS: mentions_path, RELATIONS: relations_path, CASES: cases_path}
    items: dict[str, dict[str, list[dict]]] = {}
    problems: dict[str | None, list[str]] = defaultdict(list)
    for name, path in paths.items():
        if path is None:
            continue
        rows, bad_rows = read_rows(path, name)
        for bad in bad_rows:
            problems[bad.doc_id].append(bad.message)
        for row in rows:
            if row["doc_id"] is None:
                problems[None].append(f"{row['where']}: no doc_id")
                continue
            try:
                item = _CURATED[name](row)
            except ValueError as error:
                problems[row["doc_id"]].append(f"{row['where']}: {error}")
                continue
            items.setdefault(row["doc_id"], {MENTIONS: [], RELATIONS: [], CASES: []})
            items[row["doc_id"]][name].append(item)
    texts = ReportTexts(records_dir, raw_dirs)
    documents, failures = [], []
    for doc_id in dict.fromkeys([*items, *problems]):
        if doc_id is not None and not problems[doc_id]:
            problems[doc_id] = _document(doc_id, items[doc_id], texts, documents)
        shown = None if doc_id is None else shown_doc_id(doc_id)
        failures += [{"doc_id": shown, "reason": reason} for reason in problems[doc_id]]
    return documents, failures


def _document(
    doc_id: str, items: dict[str, list[dict]], texts: ReportTexts, documents: list[dict]
) -> list[str]:
    """Append the gold of one report to `documents`, or return its problems."""
    if doc_id_problem(doc_id):
        return [f"doc_id cannot name a file: {doc_id_problem(doc_id)}"]
    try:
        report = texts.text(doc_id)
        documents.append(
            assemble_gold(
                doc_id,
                report.text,
                report.sha256,
                items[MENTIONS],
                items[RELATIONS],
                items[CASES],
            )
        )
    except LookupError as error:
        return [f"no report text: {error}"]
    except GoldError as error:
        return error.problems
    return []
