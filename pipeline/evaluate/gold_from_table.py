"""Gold from curated tables: a mentions table a curator corrected (with its relations and
cases tables, when given) back into gold documents (EXTRACTION_SPEC section 7).

Every mention is checked against its report text: its text must be what the report holds at
start:end (whitespace may differ: the report's own text is kept). Mentions get the ids
g1, g2, ... in text order; a relation is kept only when both its ends are still mentions.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from casex.evaluate.gold import LABEL_KEYS, GoldError, validate_gold
from casex.evaluate.run import find_text
from casex.io.writers import write_text_atomic
from casex.record import record_schema
from casex.tables import (
    CASES,
    FLAGS,
    MENTIONS,
    RELATIONS,
    TableError,
    cases_from_frame,
    mentions_from_frame,
    read_table,
    relations_from_frame,
)

log = logging.getLogger(__name__)


def gold_from_table(
    mentions_path: Path,
    raw_dirs: list[Path],
    relations_path: Path | None = None,
    cases_path: Path | None = None,
) -> tuple[list[dict], list[dict]]:
    """Gold documents, one per doc_id in the tables, and one failure ({"doc_id", "reason"})
    per document whose rows do not fit its text (found as `<doc_id>.txt` under `raw_dirs`).

    A table that cannot be read at all raises TableError.
    """
    mentions = mentions_from_frame(read_table(mentions_path, MENTIONS), mentions_path.name)
    relations, cases = [], []
    if relations_path:
        relations = relations_from_frame(read_table(relations_path, RELATIONS))
    if cases_path:
        cases = cases_from_frame(read_table(cases_path, CASES))
    names = {
        MENTIONS: mentions_path.name,
        RELATIONS: relations_path.name if relations_path else "",
        CASES: cases_path.name if cases_path else "",
    }
    rows: dict[str, dict[str, list[dict]]] = {}
    for name, items in ((MENTIONS, mentions), (RELATIONS, relations), (CASES, cases)):
        for item in items:
            if not item["doc_id"]:
                raise TableError(f"{names[name]} row {item['row']}: no doc_id")
            rows.setdefault(item["doc_id"], {MENTIONS: [], RELATIONS: [], CASES: []})
            rows[item["doc_id"]][name].append(item)
    documents, failures = [], []
    for doc_id, tables in rows.items():
        try:
            text_bytes = find_text(doc_id, raw_dirs).read_bytes()
            documents.append(gold_document(doc_id, text_bytes, tables, names))
        except (FileNotFoundError, TableError, GoldError) as error:
            failures.append({"doc_id": doc_id, "reason": str(error)})
    return documents, failures


def gold_document(
    doc_id: str, text_bytes: bytes, tables: dict[str, list[dict]], names: dict[str, str]
) -> dict:
    """The gold document of one report from its rows (`mentions_from_frame` and friends);
    TableError names the first row that does not fit the text."""
    try:
        text = text_bytes.decode("utf-8")
    except UnicodeDecodeError:
        raise TableError(f"the text of {doc_id} is not UTF-8, which gold needs") from None
    mentions = sorted(
        (_checked_mention(m, text, names[MENTIONS]) for m in tables[MENTIONS]),
        key=lambda m: (m["start"], m["end"], m["label"]),
    )
    gold_ids: dict[str, str] = {}
    gold_mentions = []
    for number, mention in enumerate(mentions, start=1):
        if gold_mentions and _span(gold_mentions[-1]) == _span(mention):
            raise TableError(
                f"{names[MENTIONS]} row {mention['row']}: the same {mention['label']} at "
                f"{mention['start']}:{mention['end']} is on another row too"
            )
        if mention["id"] in gold_ids:
            raise TableError(f"{names[MENTIONS]} row {mention['row']}: id {mention['id']!r} twice")
        if mention["id"]:
            gold_ids[mention["id"]] = f"g{number}"
        gold_mentions.append(
            {
                "id": f"g{number}",
                "label": mention["label"],
                "text": text[mention["start"] : mention["end"]],
                "start": mention["start"],
                "end": mention["end"],
                "case_id": mention["case_id"],
                **{flag: mention[flag] for flag in FLAGS},
                "normalized": mention["normalized"],
            }
        )
    document = {
        "doc_id": doc_id,
        "text_sha256": hashlib.sha256(text_bytes).hexdigest(),
        "mentions": gold_mentions,
        "relations": _relations(tables[RELATIONS], gold_ids, names[RELATIONS]),
        "cases": [
            {key: case[key] for key in ("case_id", "age", "sex", "diagnosis")}
            for case in tables[CASES]
        ],
    }
    validate_gold(document, text_bytes)
    return document


def write_gold(documents: list[dict], out_dir: Path) -> list[Path]:
    """`out_dir/<doc_id>.jsonl` (one line) per gold document, written atomically."""
    paths = []
    for document in documents:
        path = out_dir / f"{document['doc_id']}.jsonl"
        write_text_atomic(path, json.dumps(document, ensure_ascii=False) + "\n")
        paths.append(path)
    return paths


def relation_types() -> tuple[str, ...]:
    """The relation types a record may hold, from the record schema."""
    schema = record_schema()["properties"]["relations"]["items"]["properties"]["type"]
    return tuple(schema["enum"])


def _checked_mention(mention: dict, text: str, where: str) -> dict:
    row = f"{where} row {mention['row']}"
    if mention["label"] not in LABEL_KEYS:
        raise TableError(f"{row}: label {mention['label']!r} is not one of {', '.join(LABEL_KEYS)}")
    start, end = mention["start"], mention["end"]
    if start is None or end is None or not 0 <= start < end <= len(text):
        raise TableError(
            f"{row}: start {start!r} and end {end!r} are not a span of the text "
            f"(0 <= start < end <= {len(text)})"
        )
    found = text[start:end]
    if mention["text"] is None or mention["text"].split() != found.split():
        raise TableError(
            f"{row}: text {mention['text']!r} is not the report text at {start}:{end} ({found!r})"
        )
    return mention


def _span(mention: dict) -> tuple:
    return mention["label"], mention["start"], mention["end"]


def _relations(relations: list[dict], gold_ids: dict[str, str], where: str) -> list[dict]:
    kept, dropped = [], 0
    for relation in relations:
        if relation["type"] not in relation_types():
            raise TableError(
                f"{where} row {relation['row']}: type {relation['type']!r} is not one of "
                f"{', '.join(relation_types())}"
            )
        if relation["head"] in gold_ids and relation["tail"] in gold_ids:
            kept.append(
                {
                    "type": relation["type"],
                    "head": gold_ids[relation["head"]],
                    "tail": gold_ids[relation["tail"]],
                }
            )
        else:
            dropped += 1
    if dropped:
        log.info("%d relation(s) dropped: an end is no longer a mention", dropped)
    return kept
