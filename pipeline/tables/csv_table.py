"""A table as CSV (UTF-8, `\\n` line ends), its text cells guarded against formulas."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from casex.io.safe_cells import guard_formula


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The CSV of `frame`: a text cell a spreadsheet could run as a formula gets a `'`."""
    guarded = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == "string":
            guarded[column] = frame[column].map(guard_formula, na_action="ignore")
    return guarded.to_csv(index=False, lineterminator="\n").encode("utf-8")


def read_csv_cells(path: Path) -> pd.DataFrame:
    """The cells of a CSV table as text, an empty cell as an empty text."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
