"""Rows of curated tables as the mentions, relations and cases that
`casex.evaluate.gold.assemble_gold` turns into gold (the help columns are never read)."""

from __future__ import annotations

from casex.io.doc_ids import shown_value
from casex.labels import FLAGS, LABEL_KEYS, LABELS
from casex.tables.columns import CASE_FACT_COLUMNS, NORM_PREFIX, parse_agents, parse_days


def curated_mention(row: dict) -> dict:
    """A mention row with `where` and `key` (its id); ValueError for a label the tables do
    not hold or days that are not a list of numbers."""
    label = row["label"]
    if label not in LABELS:
        raise ValueError(f"label {shown_value(label)} is not one of {', '.join(LABELS)}")
    normalized = {key: row[NORM_PREFIX + key] for key in LABEL_KEYS[label]}
    if "agents" in normalized:
        normalized["agents"] = parse_agents(normalized["agents"])
    if "days" in normalized:
        try:
            normalized["days"] = parse_days(normalized["days"])
        except ValueError:
            raise ValueError(
                f"norm_days {shown_value(normalized['days'])} is not a list of day numbers "
                f"such as 1,8,15"
            ) from None
    return {
        "where": row["where"],
        "key": row["id"],
        **{key: row[key] for key in ("label", "text", "start", "end", "case_id")},
        **{flag: bool(row[flag]) for flag in FLAGS},
        "normalized": normalized,
    }


def curated_relation(row: dict) -> dict:
    """A relation row: type, head and tail (mention ids of the mentions table), `where`."""
    return {key: row[key] for key in ("where", "type", "head", "tail")}


def curated_case(row: dict) -> dict:
    """A case row: case_id, age, sex, diagnosis and `where`."""
    return {key: row[key] for key in ("where", *CASE_FACT_COLUMNS[1:])}
