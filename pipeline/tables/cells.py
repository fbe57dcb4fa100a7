"""Cells read back from a curated table (text from CSV, spreadsheet values from .xlsx, typed
values from Parquet) as the Python values of their columns' dtypes.

A text cell of a CSV or workbook loses the one guard quote `casex tables` put before a text a
spreadsheet could run as a formula. A row with a cell that does not fit its column is left
out and named in a problem, with the row's doc_id, so that only that report is refused.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from numbers import Integral, Real
from typing import NamedTuple

import numpy
import pandas as pd

from casex.io.doc_ids import shown_value
from casex.io.safe_cells import unguard_formula
from casex.tables.columns import COLUMNS, HELP_COLUMNS, TableError


class RowProblem(NamedTuple):
    doc_id: str | None  # of the row, when its doc_id cell could be read
    message: str  # names the table and row: `mentions.csv row 5: start '1.5' is not ...`


def coerce_rows(
    frame: pd.DataFrame, name: str, where: str, guarded: bool
) -> tuple[list[dict], list[RowProblem]]:
    """The rows of table `name` (cells as read into `frame`) as dicts of typed values with
    `where` (`<where> row <n>`, n the spreadsheet row), and one problem per bad cell;
    TableError when columns are missing."""
    columns = COLUMNS[name]
    missing = [c for c in columns if c not in frame.columns and c not in HELP_COLUMNS]
    if missing:
        raise TableError(
            f"{where}: no column(s) {', '.join(missing)}; expected the {name} columns "
            f"written by `casex tables`"
        )
    rows, problems = [], []
    for position, cells in enumerate(frame.to_dict("records")):
        row, bad = {"where": f"{where} row {position + 2}"}, []
        for column, dtype in columns.items():
            value = cells.get(column)
            if guarded and dtype == "string" and isinstance(value, str):
                value = unguard_formula(value)
            try:
                row[column] = _CELL_PARSERS[dtype](value)
            except (TypeError, ValueError):
                bad.append(
                    f"{row['where']}: {column} {shown_value(value)} is not {_EXPECTED[dtype]}"
                )
        if bad:
            problems += [RowProblem(row.get("doc_id"), message) for message in bad]
        else:
            rows.append(row)
    return rows, problems


def _missing(value: object) -> bool:
    return (
        value is None
        or value is pd.NA
        or (isinstance(value, float) and math.isnan(value))
        or (isinstance(value, str) and not value.strip())
    )


def _string_cell(value: object) -> str | None:
    if _missing(value):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, Real) and not isinstance(value, (bool, numpy.bool_)):
        # A spreadsheet turns a typed `4` or `7.3` into a number: give the text back.
        return f"{int(value)}" if float(value).is_integer() else repr(float(value))
    raise ValueError(value)


def _integer_cell(value: object) -> int | None:
    if _missing(value):
        return None
    if isinstance(value, (bool, numpy.bool_)):
        raise ValueError(value)
    number = float(value.strip()) if isinstance(value, str) else value
    if isinstance(number, Integral):
        return int(number)
    if isinstance(number, Real) and float(number).is_integer():
        return int(number)
    raise ValueError(value)


def _float_cell(value: object) -> float | None:
    if _missing(value):
        return None
    if isinstance(value, (bool, numpy.bool_)):
        raise ValueError(value)
    number = float(value.strip()) if isinstance(value, str) else float(value)
    if not math.isfinite(number):
        raise ValueError(value)
    return number


_TRUE, _FALSE = {"true", "1", "yes"}, {"false", "0", "no"}


def _boolean_cell(value: object) -> bool | None:
    if _missing(value):
        return None
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
