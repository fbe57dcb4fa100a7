"""Records as the three curation tables (typed pandas frames, `columns.py`)."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from casex.normalizers.sentence_bounds import sentence_around, sentence_start_chars
from casex.tables.columns import (
    CASE_COLUMNS,
    LIST_KEYS,
    MENTION_COLUMNS,
    NORM_PREFIX,
    NORMALIZED_DTYPES,
    RELATION_COLUMNS,
    format_list,
    typed_frame,
)
from casex.tables.summaries import case_summary


class Tables(NamedTuple):
    mentions: pd.DataFrame
    cases: pd.DataFrame
    relations: pd.DataFrame


def to_tables(records: list[dict]) -> Tables:
    """The three tables of `records`."""
    return Tables(mentions_frame(records), cases_frame(records), relations_frame(records))


def mentions_frame(records: list[dict]) -> pd.DataFrame:
    """One row per mention, with the sentence around it from the record's text."""
    rows = []
    for record in records:
        text = record["text"]
        starts = sentence_start_chars(text)
        for mention in record["mentions"]:
            row = {column: mention.get(column) for column in MENTION_COLUMNS}
            row["doc_id"] = record["doc_id"]
            for key in NORMALIZED_DTYPES:
                value = mention["normalized"].get(key)
                row[NORM_PREFIX + key] = format_list(key, value) if key in LIST_KEYS else value
            row["sentence"] = sentence_around(text, starts, mention["start"], mention["end"])
            rows.append(row)
    return typed_frame(rows, MENTION_COLUMNS)


def cases_frame(records: list[dict]) -> pd.DataFrame:
    """One row per patient per report: the record's case facts and `case_summary`."""
    rows = []
    for record in records:
        facts = {case["case_id"]: case for case in record["cases"]}
        # A case_id that only mentions carry still gets its row, after the record's cases.
        for mention in record["mentions"]:
            if mention["case_id"]:
                facts.setdefault(mention["case_id"], {"case_id": mention["case_id"]})
        for case_id, case in facts.items():
            mentions = sorted(
                (m for m in record["mentions"] if m["case_id"] == case_id),
                key=lambda m: (m["start"], m["end"]),
            )
            rows.append(
                {
                    "doc_id": record["doc_id"],
                    "case_id": case_id,
                    "age": case.get("age"),
                    "sex": case.get("sex"),
                    "diagnosis": case.get("diagnosis"),
                    **case_summary(mentions),
                }
            )
    return typed_frame(rows, CASE_COLUMNS)


def relations_frame(records: list[dict]) -> pd.DataFrame:
    """One row per relation, with the label and text of both ends."""
    rows = []
    for record in records:
        by_id = {m["id"]: m for m in record["mentions"]}
        for relation in record["relations"]:
            head, tail = by_id.get(relation["head"], {}), by_id.get(relation["tail"], {})
            rows.append(
                {
                    "doc_id": record["doc_id"],
                    **relation,
                    "head_label": head.get("label"),
                    "head_text": head.get("text"),
                    "tail_label": tail.get("label"),
                    "tail_text": tail.get("text"),
                }
            )
    return typed_frame(rows, RELATION_COLUMNS)
