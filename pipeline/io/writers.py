"""Atomic writes into an output folder: a temporary file beside the target, then a rename.

Temporary files are named `.<target>.<pid>.<random>.tmp`, so that a run removes only its own
and those of processes that no longer exist, never a live concurrent run's.
"""

from __future__ import annotations

import errno
import json
import os
import re
import tempfile
from pathlib import Path

# Temporary files are private (0600); finished files get the usual mode for the user's umask.
_UMASK = os.umask(0)
os.umask(_UMASK)
_TEMPORARY = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp$")


class OutputError(Exception):
    """An output folder or file that cannot be written; the message says which and why."""


def check_output_folder(folder: Path) -> None:
    """Create `folder` if needed and prove it writable; OutputError otherwise."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"output folder {folder} is a file")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(dir=folder, prefix=f".probe.{os.getpid()}.", suffix=".tmp")
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        raise OutputError(f"cannot write to output folder {folder}: {_why(error)}") from None


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write `data` so that `path` holds either the old or the whole new content."""
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp"
        )
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o666 & ~_UMASK)
        os.replace(temporary, path)
    except BaseException as error:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise OutputError(f"cannot write {path}: {_why(error)}") from None
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """Write `text` as UTF-8 so that `path` holds either the old or the whole new content."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_json_atomic(path: Path, data: object) -> None:
    write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def remove_stale_temporaries(folder: Path) -> None:
    """Temporary files of processes that no longer exist (a run killed before its rename)."""
    for path in folder.glob(".*.tmp") if folder.is_dir() else []:
        match = _TEMPORARY.match(path.name)
        if match and not _alive(int(match.group(1))):
            path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's live process
    return True


def _why(error: OSError) -> str:
    if error.errno == errno.ENOSPC:
        return "no space left on device"
    return error.strerror or str(error)
