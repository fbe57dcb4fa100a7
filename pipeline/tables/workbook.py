"""The workbook `tables.xlsx`: one sheet per table, laid out for a curator.

The header row is bold, frozen and filterable; columns are as wide as their content (up to a
cap); drop-down lists offer the spec's values for labels, flags, relation types, sex and the
enumerated normalized fields. No cell is ever a formula: text is written as string cells
(data type `s`), guarded like the CSV, and numbers stay number cells.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from casex.io.safe_cells import guard_formula
from casex.labels import (
    FLAGS,
    LABELS,
    NORMALIZED,
    RELATION_TYPES,
    SEXES,
    allowed_values,
)
from casex.tables.columns import CASES, MENTIONS, NORM_PREFIX, RELATIONS

MAX_WIDTH = 40
WIDE_COLUMNS = {
    "sentence": 100,
    "doses": 80,
    "presentation_labs": 80,
    "therapies": 60,
    "adverse_events": 60,
    "genetics": 60,
}
LAST_ROW = 1_048_576  # drop-downs reach the rows a curator adds
SAMPLED_ROWS = 500


def drop_down_lists() -> dict[str, dict[str, tuple[str, ...]]]:
    """Sheet -> column -> the values its drop-down list offers."""
    mentions = {"label": LABELS, **dict.fromkeys(FLAGS, ("TRUE", "FALSE"))}
    for label, properties in NORMALIZED.items():
        for key in properties:
            if values := allowed_values(label, key):  # a key of two labels offers both lists
                column = NORM_PREFIX + key
                mentions[column] = tuple(dict.fromkeys(mentions.get(column, ()) + values))
    return {MENTIONS: mentions, CASES: {"sex": SEXES}, RELATIONS: {"type": RELATION_TYPES}}


def workbook_bytes(frames: dict[str, pd.DataFrame]) -> bytes:
    """The .xlsx workbook of the tables (sheet name -> frame)."""
    book = Workbook()
    book.remove(book.active)
    lists = drop_down_lists()
    for name, frame in frames.items():
        sheet = book.create_sheet(name)
        _fill(sheet, frame)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(frame.shape[1])}{len(frame) + 1}"
        _set_widths(sheet, frame)
        _add_drop_downs(sheet, list(frame.columns), lists.get(name, {}))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_sheet_cells(path: Path, sheet: str) -> pd.DataFrame:
    """The cells of one sheet as spreadsheet values (text, numbers, booleans)."""
    return pd.read_excel(path, sheet_name=sheet, dtype=object, keep_default_na=False)


def _fill(sheet: Worksheet, frame: pd.DataFrame) -> None:
    sheet.append(list(frame.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in frame.itertuples(index=False, name=None):
        sheet.append([_cell_value(value) for value in values])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"


def _cell_value(value: object) -> object:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, numpy.generic):
        value = value.item()
    if isinstance(value, str):
        # Spreadsheets refuse control characters, which a PDF's text may hold.
        return guard_formula(ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
    return value


def _set_widths(sheet: Worksheet, frame: pd.DataFrame) -> None:
    for index, column in enumerate(frame.columns, start=1):
        sample = frame[column].head(SAMPLED_ROWS).dropna()
        longest = max([len(column) + 2, *(len(str(value)) for value in sample)])
        width = min(longest + 2, WIDE_COLUMNS.get(column, MAX_WIDTH))
        sheet.column_dimensions[get_column_letter(index)].width = width


def _add_drop_downs(sheet: Worksheet, columns: list[str], lists: dict[str, tuple]) -> None:
    for column, values in lists.items():
        if column not in columns:
            continue
        letter = get_column_letter(columns.index(column) + 1)
        validation = DataValidation(
            type="list",
            formula1=f'"{",".join(values)}"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="casex",
            error=f"Choose the {column} from the list, or leave the cell empty.",
        )
        validation.add(f"{letter}2:{letter}{LAST_ROW}")
        sheet.add_data_validation(validation)
