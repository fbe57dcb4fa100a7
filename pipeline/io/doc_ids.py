"""Doc ids that become file names (`<doc_id>.txt`, `.json`, `.jsonl`, `.html`, `.ann`), and
values from data as error messages show them.

A doc_id read from data (a table, a gold file, a record, a brat folder) names one file inside
a folder the user gave: it must not reach outside that folder (no path separator, no `.` or
`..`, no absolute or drive path), hold no control character (which could forge lines of an
error report), and it is used literally, never as a glob pattern.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path, PureWindowsPath

# File names are at most 255 bytes; the longest suffix casex adds is `.jsonl`.
MAX_BYTES = 240


class DocIdError(ValueError):
    """A doc_id that cannot name a file."""


def doc_id_problem(doc_id: object) -> str | None:
    """Why `doc_id` cannot be a file name, or None when it can."""
    if not isinstance(doc_id, str) or not doc_id:
        return "a doc_id is a non-empty text"
    if doc_id in (".", ".."):
        return "it is a relative folder name"
    if "/" in doc_id or "\\" in doc_id:
        return "it holds a path separator"
    if PureWindowsPath(doc_id).drive:
        return "it is a drive path"
    if any(unicodedata.category(char) == "Cc" for char in doc_id):
        return "it holds a control character"
    if len(doc_id.encode("utf-8")) > MAX_BYTES:
        return f"it is longer than {MAX_BYTES} bytes"
    return None


def shown_doc_id(doc_id: object) -> str:
    """`doc_id` as an error message shows it: as is when valid, else quoted and clipped."""
    return str(doc_id) if doc_id_problem(doc_id) is None else shown_value(doc_id)


def shown_value(value: object, limit: int = 40) -> str:
    """A value from data as an error message shows it: its repr, clipped to `limit`, so that
    it can neither flood nor forge a line."""
    shown = repr(value)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def checked_doc_id(doc_id: object) -> str:
    """`doc_id` itself; DocIdError when it cannot name a file."""
    problem = doc_id_problem(doc_id)
    if problem:
        raise DocIdError(f"doc_id {shown_doc_id(doc_id)} cannot name a file: {problem}")
    return str(doc_id)


def doc_file(folder: Path, doc_id: object, suffix: str) -> Path:
    """`folder/<doc_id><suffix>`, for a doc_id that names a file (DocIdError otherwise)."""
    return folder / f"{checked_doc_id(doc_id)}{suffix}"
