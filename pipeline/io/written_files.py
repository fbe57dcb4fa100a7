"""Outputs that people edit in place (tables, brat folders): never overwrite an edited one.

A command writes its files through `write_files`, which records the sha256 of each file in
`casex-manifest.json` beside them. On a re-run, a file that is still what casex wrote (or
already holds the new content) is rewritten; a file that differs from its manifest entry, or
that has none, was edited or put there by someone else: nothing is written, and
EditedFilesError names every such file, unless `force` is given. The manifest is written
last, so a run stopped half-way errs on the side of refusing.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from casex.io.writers import write_bytes_atomic, write_json_atomic

MANIFEST = "casex-manifest.json"


class EditedFilesError(Exception):
    """Files that were edited since casex wrote them; `paths` names them."""

    def __init__(self, paths: list[Path]) -> None:
        super().__init__(", ".join(map(str, paths)))
        self.paths = paths


def write_files(out_dir: Path, contents: dict[str, bytes], force: bool = False) -> list[Path]:
    """Write `contents` (file name -> bytes) under `out_dir` atomically and record them in
    the manifest; EditedFilesError, before anything is written, for edited files."""
    manifest = _read_manifest(out_dir)
    if not force:
        edited = [
            out_dir / name
            for name, data in contents.items()
            if _is_edited(out_dir / name, manifest.get(name), _sha256(data))
        ]
        if edited:
            raise EditedFilesError(edited)
    paths = []
    for name, data in contents.items():
        write_bytes_atomic(out_dir / name, data)
        manifest[name] = _sha256(data)
        paths.append(out_dir / name)
    write_json_atomic(out_dir / MANIFEST, {"files": dict(sorted(manifest.items()))})
    return paths


def _is_edited(path: Path, recorded: str | None, new_sha256: str) -> bool:
    try:
        current = _sha256(path.read_bytes())
    except FileNotFoundError:
        return False
    return current not in (recorded, new_sha256)


def _read_manifest(out_dir: Path) -> dict[str, str]:
    """File name -> sha256 as last written; empty when there is no readable manifest."""
    try:
        files = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    if not isinstance(files, dict):
        return {}
    return {name: sha for name, sha in files.items() if isinstance(sha, str)}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
