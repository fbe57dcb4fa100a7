"""The curation tables on disk: each as `<name>.csv` and `<name>.parquet`, all three as the
sheets of `tables.xlsx`; read back from any of them, whatever the order of the columns."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from casex.io.written_files import write_files
from casex.tables.cells import RowProblem, coerce_rows
from casex.tables.columns import COLUMNS, TABLE_NAMES, WORKBOOK, TableError, typed_frame
from casex.tables.csv_table import csv_bytes, read_csv_cells
from casex.tables.frames import Tables
from casex.tables.parquet_table import parquet_bytes, read_parquet_cells
from casex.tables.workbook import read_sheet_cells, workbook_bytes

SUFFIXES = (".csv", ".xlsx", ".parquet")


def write_tables(tables: Tables, out_dir: Path, force: bool = False) -> list[Path]:
    """Write every file of `tables` atomically; EditedFilesError (nothing written) for a
    file a curator edited since casex wrote it, unless `force`."""
    contents = {}
    for name, frame in tables._asdict().items():
        contents[f"{name}.csv"] = csv_bytes(frame)
        contents[f"{name}.parquet"] = parquet_bytes(frame)
    contents[WORKBOOK] = workbook_bytes(tables._asdict())
    return write_files(out_dir, contents, force=force)


def read_rows(path: Path, name: str) -> tuple[list[dict], list[RowProblem]]:
    """The rows of table `name` in a .csv or .parquet file or its sheet of an .xlsx workbook,
    as `coerce_rows` gives them; TableError when the file cannot be read as that table."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise TableError(f"{path.name}: a table file is .csv, .xlsx or .parquet, not {suffix!r}")
    try:
        if suffix == ".csv":
            frame = read_csv_cells(path)
        elif suffix == ".xlsx":
            frame = read_sheet_cells(path, name)
        else:
            frame = read_parquet_cells(path)
    except UnicodeDecodeError:
        raise TableError(f"{path.name}: not UTF-8 text; save the table as CSV UTF-8") from None
    except Exception as error:  # pandas, openpyxl and pyarrow each raise their own kinds
        reason = f"{type(error).__name__}: {error}"[:200]
        raise TableError(f"{path.name}: cannot read the {name} table ({reason})") from None
    where = f"{path.name} {name}" if suffix == ".xlsx" else path.name
    return coerce_rows(frame, name, where, guarded=suffix != ".parquet")


def read_table(path: Path, name: str) -> pd.DataFrame:
    """Table `name` with its documented columns and dtypes (other columns are dropped);
    TableError names the first cell that does not fit."""
    rows, problems = read_rows(path, name)
    if problems:
        raise TableError(problems[0].message)
    return typed_frame(rows, COLUMNS[name])


def read_workbook(path: Path) -> Tables:
    """The three tables from one .xlsx workbook."""
    return Tables(*(read_table(path, name) for name in TABLE_NAMES))
