"""A table as Parquet: typed columns, read by programs rather than spreadsheets (no guard)."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    """The Parquet file of `frame`."""
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def read_parquet_cells(path: Path) -> pd.DataFrame:
    """The typed cells of a Parquet table."""
    # One thread: pyarrow's thread pool can abort the interpreter at exit.
    return pd.read_parquet(path, use_threads=False)
