"""Records as tables for curators, and curated tables read back.

`casex tables` writes three tables (`columns.py` says what they hold), each as `<name>.csv`
(UTF-8) and `<name>.parquet`, and all three as the sheets of `tables.xlsx` (`workbook.py`).
Text cells a spreadsheet could run as a formula are guarded (`casex.io.safe_cells`); a file a
curator edited is never overwritten (`casex.io.written_files`). `read_table` loads any of them
back with their documented dtypes; `casex gold-from-table` turns them into gold.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from casex.io.records import load_records
from casex.tables.columns import (
    COLUMNS,
    NORMALIZED_DTYPES,
    TABLE_NAMES,
    WORKBOOK,
    TableError,
    parse_days,
)
from casex.tables.files import read_rows, read_table, read_workbook, write_tables
from casex.tables.frames import Tables, cases_frame, to_tables
from casex.tables.summaries import case_summary, day_ranges

__all__ = [
    "COLUMNS",
    "NORMALIZED_DTYPES",
    "TABLE_NAMES",
    "WORKBOOK",
    "TableError",
    "Tables",
    "TablesResult",
    "case_summary",
    "cases_frame",
    "day_ranges",
    "make_tables",
    "parse_days",
    "read_rows",
    "read_table",
    "read_workbook",
    "to_tables",
    "write_tables",
]


class TablesResult(NamedTuple):
    records: int
    tables: Tables
    paths: list[Path]
    failures: list[dict]  # {"file", "reason"} per file that is not a record


def make_tables(pred_dir: Path, out_dir: Path, force: bool = False) -> TablesResult:
    """The tables of the records in `pred_dir`, written to `out_dir` (EditedFilesError,
    nothing written, when a curator edited one of them, unless `force`)."""
    records, failures = load_records(pred_dir)
    tables = to_tables(records)
    return TablesResult(len(records), tables, write_tables(tables, out_dir, force), failures)
