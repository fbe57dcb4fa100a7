"""The columns of the curation tables and their dtypes: the only code that knows them.

- `mentions`: one row per mention, what a curator reads first at the left: doc_id, label,
  text, the sentence around the mention (help only), one `norm_<key>` column per normalized
  key (spec sections 3 and 10; a list is text: `norm_days` `1,8,15`, `norm_agents`
  `rituximab, cyclophosphamide`), the four
  context flags, case_id, section, then the offsets and the mention id.
- `cases`: one row per patient per report: age, sex and diagnosis from the record, then
  summaries of the patient's mentions (help only).
- `relations`: one row per relation: doc_id, type, head and tail (mention ids), with each
  end's label and text to read it by (help only).

An empty cell is a null. The columns in `HELP_COLUMNS` are never read back.
"""

from __future__ import annotations

import pandas as pd

from casex.labels import FLAGS, NORMALIZED

MENTIONS, CASES, RELATIONS = "mentions", "cases", "relations"
TABLE_NAMES = (MENTIONS, CASES, RELATIONS)
WORKBOOK = "tables.xlsx"
NORM_PREFIX = "norm_"


def _normalized_dtypes() -> dict[str, str]:
    """Every normalized key of every label, in the spec's order, with its column's dtype
    (a number is Float64, an integer Int64, anything else, a list too, text)."""
    dtypes: dict[str, str] = {}
    for properties in NORMALIZED.values():
        for key, schema in properties.items():
            types = schema.get("type", "string")
            types = [types] if isinstance(types, str) else types
            dtype = "Float64" if "number" in types else "Int64" if "integer" in types else "string"
            dtypes.setdefault(key, dtype)
    return dtypes


NORMALIZED_DTYPES = _normalized_dtypes()

MENTION_COLUMNS = {
    "doc_id": "string",
    "label": "string",
    "text": "string",
    "sentence": "string",
    **{NORM_PREFIX + key: dtype for key, dtype in NORMALIZED_DTYPES.items()},
    **dict.fromkeys(FLAGS, "boolean"),
    "case_id": "string",
    "section": "string",
    "start": "Int64",
    "end": "Int64",
    "id": "string",
}
CASE_COLUMNS = {
    "doc_id": "string",
    "case_id": "string",
    "age": "Int64",
    "sex": "string",
    "diagnosis": "string",
    "immunophenotype": "string",
    "drugs": "string",
    "doses": "string",
    "best_response": "string",
    "last_response": "string",
    "presentation_labs": "string",
    "therapies": "string",
    "adverse_events": "string",
    "genetics": "string",
}
RELATION_COLUMNS = {
    "doc_id": "string",
    "type": "string",
    "head": "string",
    "tail": "string",
    "head_label": "string",
    "head_text": "string",
    "tail_label": "string",
    "tail_text": "string",
}
COLUMNS = {MENTIONS: MENTION_COLUMNS, CASES: CASE_COLUMNS, RELATIONS: RELATION_COLUMNS}
CASE_FACT_COLUMNS = ("doc_id", "case_id", "age", "sex", "diagnosis")
HELP_COLUMNS = {
    "sentence",
    "head_label",
    "head_text",
    "tail_label",
    "tail_text",
    *(set(CASE_COLUMNS) - set(CASE_FACT_COLUMNS)),
}


class TableError(ValueError):
    """A table that is not one `casex tables` wrote, or a cell that does not fit its column."""


def typed_frame(rows: list[dict], columns: dict[str, str]) -> pd.DataFrame:
    """A frame of `rows` with exactly `columns`, in order, each with its dtype."""
    return pd.DataFrame(
        {
            column: pd.array([row.get(column) for row in rows], dtype=dtype)
            for column, dtype in columns.items()
        }
    )


LIST_KEYS = {"days": ",", "agents": ", "}  # list-valued keys and how their cells join them


def format_list(key: str, values: list | None) -> str | None:
    """`[1, 8, 15]` -> `"1,8,15"` (`norm_days`), `["rituximab", "cyclophosphamide"]` ->
    `"rituximab, cyclophosphamide"` (`norm_agents`)."""
    return None if values is None else LIST_KEYS[key].join(str(v) for v in values)


def parse_agents(cell: str | None) -> list[str] | None:
    """`"rituximab, cyclophosphamide"` -> `["rituximab", "cyclophosphamide"]`."""
    if cell is None or not cell.strip():
        return None
    return [part.strip() for part in cell.split(",") if part.strip()]


def parse_days(cell: str | None) -> list[int] | None:
    """`"1,8,15"` (or `"[1, 8, 15]"`, `"1 8 15"`) -> `[1, 8, 15]`; ValueError otherwise."""
    if cell is None or not cell.strip("[] "):
        return None
    return [int(part) for part in cell.strip("[] ").replace(",", " ").split()]
