"""The inputs of a batch: the files given and the .txt/.pdf files under the folders given.

Nothing is dropped silently: an entry that is not taken (another extension, a broken link,
a link loop, a path that does not exist) comes back as a problem with its reason.
"""

from __future__ import annotations

import os
from pathlib import Path

from casex.io.readers import SUFFIXES


def collect_inputs(paths: list[Path]) -> tuple[list[Path], list[dict]]:
    """(report files in a stable order, problems {"file", "reason", "skipped"})."""
    files: list[Path] = []
    problems: list[dict] = []
    for path in paths:
        if path.is_dir():
            _walk(path, files, problems)
        elif path.is_symlink() and not path.exists():
            problems.append(_problem(path, "broken link"))
        elif not path.exists():
            problems.append(_problem(path, "no such file or folder"))
        else:
            files.append(path)  # a file named by the user is tried whatever its extension
    return files, problems


def _walk(root: Path, files: list[Path], problems: list[dict]) -> None:
    seen = {root.resolve()}
    for folder, subfolders, names in os.walk(root, followlinks=True):
        here = Path(folder)
        for name in list(subfolders):
            target = (here / name).resolve()
            if target in seen:
                problems.append(
                    _problem(here / name, "link to a folder already walked (a link loop)")
                )
                subfolders.remove(name)
            else:
                seen.add(target)
        subfolders.sort()
        for name in sorted(names):
            path = here / name
            if path.is_symlink() and not path.exists():
                problems.append(_problem(path, "broken link"))
            elif path.suffix.lower() in SUFFIXES:
                files.append(path)
            elif not name.startswith("."):
                problems.append(_problem(path, "not a .txt or .pdf file", skipped=True))


def _problem(path: Path, reason: str, skipped: bool = False) -> dict:
    problem = {"file": str(path), "reason": reason}
    if skipped:
        problem["skipped"] = True
    return problem
