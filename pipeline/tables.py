"""Records as tables for curators: the only code that knows the table columns.

Three tables, each written as `<name>.csv` (UTF-8), `<name>.parquet` and one sheet of
`tables.xlsx`; every column has an explicit nullable dtype (`MENTION_COLUMNS`,
`CASE_COLUMNS`, `RELATION_COLUMNS`), and an empty cell is a null.

- `mentions`: one row per mention: doc_id, id, case_id, label, text, start, end, section,
  the four context flags, one `norm_<key>` column per normalized key of any label (spec
  section 3; `norm_days` holds the list as text, `1,8,15`), and the sentence around the
  mention (whitespace collapsed; read-only help, never read back).
- `cases`: one row per patient per report: age, sex and diagnosis from the record, then
  summaries of the patient's mentions (`case_summary`).
- `relations`: one row per relation: doc_id, type, head and tail (mention ids), with each
  end's label and text to read it by.

A curator may edit the tables and read them back (`read_table`, then `mentions_from_frame`,
`relations_from_frame`, `cases_from_frame`) to make gold; the columns in `HELP_COLUMNS`
are never read back.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterable
from numbers import Integral, Real
from pathlib import Path
from typing import NamedTuple

import numpy
import pandas as pd

from casex.evaluate.gold import LABEL_KEYS
from casex.io.errors import ReportError
from casex.io.records import load_records, record_text
from casex.io.writers import write_bytes_atomic, write_text_atomic
from casex.normalizers.sentence_bounds import sentence_around, sentence_start_chars

MENTIONS, CASES, RELATIONS = "mentions", "cases", "relations"
TABLE_NAMES = (MENTIONS, CASES, RELATIONS)
WORKBOOK = "tables.xlsx"
FLAGS = ("negated", "uncertain", "historical", "hypothetical")
NORM_PREFIX = "norm_"
# Every normalized key of spec section 3, grouped by label, with the dtype of its column.
NORMALIZED_DTYPES = {
    "marker": "string",
    "expression": "string",
    "intensity": "string",
    "name": "string",
    "brand": "string",
    "value": "Float64",
    "unit": "string",
    "frequency": "string",
    "days": "string",
    "route": "string",
    "drug": "string",
    "analyte": "string",
    "comparator": "string",
    "value_si": "Float64",
    "unit_si": "string",
    "category": "string",
    "deauville": "Int64",
    "basis": "string",
}
MENTION_COLUMNS = {
    "doc_id": "string",
    "id": "string",
    "case_id": "string",
    "label": "string",
    "text": "string",
    "start": "Int64",
    "end": "Int64",
    "section": "string",
    **dict.fromkeys(FLAGS, "boolean"),
    **{NORM_PREFIX + key: dtype for key, dtype in NORMALIZED_DTYPES.items()},
    "sentence": "string",
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
# Columns read back from a curated table, and those written only to help a reader (a table
# may come back without them).
CASE_FACT_COLUMNS = ("doc_id", "case_id", "age", "sex", "diagnosis")
HELP_COLUMNS = {
    "sentence",
    "head_label",
    "head_text",
    "tail_label",
    "tail_text",
    *(set(CASE_COLUMNS) - set(CASE_FACT_COLUMNS)),
}
# Best first; the best response of a patient is the category found first in this order.
# OTHER (vague praise such as "good response") ranks nowhere and is never reported.
RESPONSE_RANKING = (
    "MRD_NEGATIVE",
    "CR",
    "CMR",
    "MOLECULAR_RESPONSE",
    "CRi",
    "CRh",
    "VGPR",
    "CYTOGENETIC_RESPONSE",
    "PR",
    "PMR",
    "HEMATOLOGIC_RESPONSE",
    "MRD_POSITIVE",
    "SD",
    "NMR",
    "PD",
    "PMD",
    "NR",
)
SUMMARY_SEPARATOR = "; "


class TableError(ValueError):
    """A table that is not one `casex tables` wrote, or a cell that does not fit its column."""


class Tables(NamedTuple):
    mentions: pd.DataFrame
    cases: pd.DataFrame
    relations: pd.DataFrame


class TablesResult(NamedTuple):
    records: int
    tables: Tables
    paths: list[Path]
    failures: list[dict]
    warnings: list[dict]


def make_tables(pred_dir: Path, out_dir: Path) -> TablesResult:
    """The tables of the records in `pred_dir`, written to `out_dir`; one failure
    ({"file", "reason"}) per file that is no record, one warning per record whose report is
    missing or changed (its sentences stay empty)."""
    records, failures = load_records(pred_dir)
    texts, warnings = {}, []
    for record in records:
        try:
            texts[record["doc_id"]] = record_text(record)
        except ReportError as error:
            warnings.append({"file": record["source"], "reason": f"{error}; no sentences"})
    tables = to_tables(records, texts)
    return TablesResult(len(records), tables, write_tables(tables, out_dir), failures, warnings)


def to_tables(records: list[dict], texts: dict[str, str] | None = None) -> Tables:
    """The three tables of `records`; `texts` (doc_id -> report text) fills `sentence`."""
    return Tables(mentions_frame(records, texts), cases_frame(records), relations_frame(records))


def mentions_frame(records: list[dict], texts: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per mention; `sentence` is null for a record whose text is not in `texts`."""
    rows = []
    for record in records:
        text = (texts or {}).get(record["doc_id"])
        starts = sentence_start_chars(text) if text is not None else []
        for mention in record["mentions"]:
            row = {column: mention.get(column) for column in MENTION_COLUMNS}
            row["doc_id"] = record["doc_id"]
            for key in NORMALIZED_DTYPES:
                value = mention["normalized"].get(key)
                row[NORM_PREFIX + key] = format_days(value) if key == "days" else value
            if text is not None:
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


def case_summary(mentions: list[dict]) -> dict[str, str | None]:
    """The summary columns of one patient from the patient's mentions in text order.

    Negated and hypothetical mentions are left out. `immunophenotype` lists each marker
    status once (`CD19+ CD22+ CD20- CD10+(dim)`); `drugs` the drug names; `doses` each
    distinct dose (`ponatinib 15 mg PO daily`); `best_response` the best category by
    `RESPONSE_RANKING`, `last_response` the last ranked one in the text;
    `presentation_labs` the first value of each analyte (`hemoglobin 7.3 g/dL`).
    """
    stated = [m for m in mentions if not m["negated"] and not m["hypothetical"]]

    def labelled(label: str) -> list[dict]:
        return [m["normalized"] for m in stated if m["label"] == label]

    responses = [n["category"] for n in labelled("RESPONSE") if n["category"] in RESPONSE_RANKING]
    first_labs: dict[str, dict] = {}
    for lab in labelled("LAB_VALUE"):
        if lab["analyte"]:
            first_labs.setdefault(lab["analyte"], lab)
    return {
        "immunophenotype": _join(map(_phenotype_text, labelled("IMMUNOPHENOTYPE")), " "),
        "drugs": _join(n["name"] for n in labelled("DRUG")),
        "doses": _join(map(_dose_text, labelled("DOSE"))),
        "best_response": min(responses, key=RESPONSE_RANKING.index) if responses else None,
        "last_response": responses[-1] if responses else None,
        "presentation_labs": _join(map(_lab_text, first_labs.values())),
    }


def format_days(days: list[int] | None) -> str | None:
    """`[1, 8, 15]` -> `"1,8,15"`, the form of the `norm_days` column."""
    return None if days is None else ",".join(str(day) for day in days)


def parse_days(cell: str | None) -> list[int] | None:
    """`"1,8,15"` (or `"[1, 8, 15]"`, `"1 8 15"`) -> `[1, 8, 15]`; ValueError otherwise."""
    if cell is None or not cell.strip("[] "):
        return None
    return [int(part) for part in cell.strip("[] ").replace(",", " ").split()]


def day_ranges(days: list[int]) -> str:
    """`[1, 2, 3, 4, 8]` -> `"1-4,8"`: runs of three or more consecutive days as ranges."""
    runs: list[list[int]] = []
    for day in days:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ",".join(
        f"{run[0]}-{run[-1]}" if len(run) > 2 else ",".join(map(str, run)) for run in runs
    )


def typed_frame(rows: list[dict], columns: dict[str, str]) -> pd.DataFrame:
    """A frame of `rows` with exactly `columns`, in order, each with its dtype."""
    return pd.DataFrame(
        {
            column: pd.array([row.get(column) for row in rows], dtype=dtype)
            for column, dtype in columns.items()
        }
    )


def write_tables(tables: Tables, out_dir: Path) -> list[Path]:
    """`<name>.csv` and `<name>.parquet` per table and `tables.xlsx`, written atomically."""
    written = []
    for name, frame in tables._asdict().items():
        path = out_dir / f"{name}.csv"
        write_text_atomic(path, frame.to_csv(index=False, lineterminator="\n"))
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        write_bytes_atomic(out_dir / f"{name}.parquet", buffer.getvalue())
        written += [path, out_dir / f"{name}.parquet"]
    write_bytes_atomic(out_dir / WORKBOOK, workbook_bytes(tables))
    return [*written, out_dir / WORKBOOK]


def workbook_bytes(tables: Tables) -> bytes:
    """An .xlsx workbook with one sheet per table, header row frozen and filterable."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in tables._asdict().items():
            # Spreadsheets refuse control characters, which a PDF's text may hold.
            cleaned = frame.copy()
            for column, dtype in COLUMNS[name].items():
                if dtype == "string":
                    cleaned[column] = cleaned[column].str.replace(
                        ILLEGAL_CHARACTERS_RE, "\ufffd", regex=True
                    )
            cleaned.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            sheet.freeze_panes = "A2"
            sheet.auto_filter.ref = sheet.dimensions
    return buffer.getvalue()


def read_table(path: Path, name: str) -> pd.DataFrame:
    """Table `name` from a .csv or .parquet file, or from its sheet of an .xlsx workbook,
    with its documented columns and dtypes (other columns are dropped)."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        elif suffix == ".xlsx":
            frame = pd.read_excel(path, sheet_name=name, dtype=object, keep_default_na=False)
        elif suffix == ".parquet":
            # One thread: pyarrow's thread pool can abort the interpreter at exit.
            frame = pd.read_parquet(path, use_threads=False)
        else:
            raise TableError(f"{path}: table files are .csv, .xlsx or .parquet, not {suffix!r}")
    except UnicodeDecodeError:
        raise TableError(f"{path}: not UTF-8 text; save the table as CSV UTF-8") from None
    except ValueError as error:
        if isinstance(error, TableError):
            raise
        raise TableError(f"{path}: cannot read the {name} table: {error}") from None
    return coerce_table(frame, name, path.name)


def read_workbook(path: Path) -> Tables:
    """The three tables from one .xlsx workbook."""
    return Tables(*(read_table(path, name) for name in TABLE_NAMES))


def coerce_table(frame: pd.DataFrame, name: str, where: str) -> pd.DataFrame:
    """Table `name` with its documented columns and dtypes from cells read as text (CSV) or
    as spreadsheet values; TableError names the first cell that does not fit."""
    columns = COLUMNS[name]
    missing = [c for c in columns if c not in frame.columns and c not in HELP_COLUMNS]
    if missing:
        raise TableError(
            f"{where}: no column(s) {', '.join(missing)}; expected the {name} columns "
            f"written by `casex tables`"
        )
    data = {}
    for column, dtype in columns.items():
        values = []
        cells = frame[column].tolist() if column in frame.columns else [None] * len(frame)
        for position, value in enumerate(cells):
            try:
                values.append(_CELL_PARSERS[dtype](value))
            except (TypeError, ValueError):
                raise TableError(
                    f"{where} row {position + 2}: {column} {value!r} is not {_EXPECTED[dtype]}"
                ) from None
        data[column] = pd.array(values, dtype=dtype)
    return pd.DataFrame(data, columns=list(columns))


def mentions_from_frame(frame: pd.DataFrame, where: str) -> list[dict]:
    """Mentions in record shape (plus `doc_id` and `row`, the spreadsheet row number) from a
    typed mentions table; `normalized` holds exactly the label's spec keys."""
    mentions = []
    for position, row in enumerate(frame.to_dict("records")):
        cells = {column: _python(row[column]) for column in MENTION_COLUMNS}
        normalized = {}
        for key in NORMALIZED_DTYPES:
            if key in LABEL_KEYS.get(cells["label"], ()):
                normalized[key] = cells[NORM_PREFIX + key]
        if normalized.get("days") is not None:
            try:
                normalized["days"] = parse_days(normalized["days"])
            except ValueError:
                raise TableError(
                    f"{where} row {position + 2}: norm_days {normalized['days']!r} is not a "
                    f"list of day numbers such as 1,8,15"
                ) from None
        mention = {key: cells[key] for key in ("doc_id", "id", "label", "text", "start", "end")}
        mention.update(section=cells["section"], case_id=cells["case_id"])
        mention.update({flag: bool(cells[flag]) for flag in FLAGS})
        mentions.append({**mention, "normalized": normalized, "row": position + 2})
    return mentions


def relations_from_frame(frame: pd.DataFrame) -> list[dict]:
    """Relations (doc_id, type, head, tail and `row`) from a typed relations table."""
    return [
        {key: _python(row[key]) for key in ("doc_id", "type", "head", "tail")}
        | {"row": position + 2}
        for position, row in enumerate(frame.to_dict("records"))
    ]


def cases_from_frame(frame: pd.DataFrame) -> list[dict]:
    """Case facts (doc_id, case_id, age, sex, diagnosis and `row`) from a typed cases table."""
    return [
        {key: _python(row[key]) for key in CASE_FACT_COLUMNS} | {"row": position + 2}
        for position, row in enumerate(frame.to_dict("records"))
    ]


def _join(parts: Iterable[str], separator: str = SUMMARY_SEPARATOR) -> str | None:
    unique = list(dict.fromkeys(parts))
    return separator.join(unique) if unique else None


def _number(value: float) -> str:
    return f"{value:g}"


def _phenotype_text(normalized: dict) -> str:
    sign = "+" if normalized["expression"] == "positive" else "-"
    intensity = f"({normalized['intensity']})" if normalized.get("intensity") else ""
    return f"{normalized['marker']}{sign}{intensity}"


def _dose_text(normalized: dict) -> str:
    parts = [normalized.get("drug"), _number(normalized["value"]), normalized.get("unit")]
    parts += [normalized.get("route"), normalized.get("frequency")]
    days = normalized.get("days")
    if days:
        parts.append(f"day{'s' if len(days) > 1 else ''} {day_ranges(days)}")
    return " ".join(part for part in parts if part)


def _lab_text(normalized: dict) -> str:
    unit = normalized.get("unit") or ""
    glue = "" if unit.startswith("/") or unit == "%" else " "
    amount = f"{normalized.get('comparator') or ''}{_number(normalized['value'])}{glue}{unit}"
    return f"{normalized['analyte']} {amount.strip()}"


def _python(value: object) -> object:
    """A cell as a plain Python value: None for a null, int/float/bool/str otherwise."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, numpy.generic):
        return value.item()
    return value


def _missing(value: object) -> bool:
    return (
        value is None
        or value is pd.NA
        or (isinstance(value, float) and math.isnan(value))
        or (isinstance(value, str) and not value.strip())
    )


def _string_cell(value: object) -> object:
    if _missing(value):
        return pd.NA
    if isinstance(value, str):
        return value
    if isinstance(value, Real) and not isinstance(value, (bool, numpy.bool_)):
        # A spreadsheet turns a typed `4` or `7.3` into a number: give the text back.
        return f"{int(value)}" if float(value).is_integer() else repr(float(value))
    raise ValueError(value)


def _integer_cell(value: object) -> object:
    if _missing(value):
        return pd.NA
    if isinstance(value, (bool, numpy.bool_)):
        raise ValueError(value)
    number = float(value.strip()) if isinstance(value, str) else value
    if isinstance(number, Integral):
        return int(number)
    if isinstance(number, Real) and float(number).is_integer():
        return int(number)
    raise ValueError(value)


def _float_cell(value: object) -> object:
    if _missing(value):
        return pd.NA
    if isinstance(value, (bool, numpy.bool_)):
        raise ValueError(value)
    return float(value.strip()) if isinstance(value, str) else float(value)


_TRUE, _FALSE = {"true", "1", "yes"}, {"false", "0", "no"}


def _boolean_cell(value: object) -> object:
    if _missing(value):
        return pd.NA
    if isinstance(value, (bool, numpy.bool_)):
        return bool(value)
    word = str(value).strip().lower()
    if word in _TRUE or word in _FALSE:
        return word in _TRUE
    raise ValueError(value)


_CELL_PARSERS: dict[str, Callable[[object], object]] = {
    "string": _string_cell,
    "Int64": _integer_cell,
    "Float64": _float_cell,
    "boolean": _boolean_cell,
}
_EXPECTED = {
    "string": "text",
    "Int64": "a whole number",
    "Float64": "a number",
    "boolean": "True or False",
}
