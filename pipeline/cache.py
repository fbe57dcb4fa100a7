"""A private per-user cache for data casex compiles once (the drug lexicon).

Files live in `$CASEX_CACHE_DIR`, else `$XDG_CACHE_HOME/casex`, else `~/.cache/casex`, in a
folder only the user can open. A file is named by a key that covers everything it was made
from (casex's version digest, the libraries' versions), is written atomically, and is read
back only when the user owns it and nobody else can write it; anything else is rebuilt.
`CASEX_NO_CACHE=1` builds every time.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from casex.io.writers import OutputError, write_bytes_atomic

log = logging.getLogger(__name__)
T = TypeVar("T")


def cache_dir() -> Path:
    if os.environ.get("CASEX_CACHE_DIR"):
        return Path(os.environ["CASEX_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "casex"


def cached(name: str, key: str, build: Callable[[], T]) -> T:
    """`build()`, stored under `name` and `key` on first use and read back afterwards."""
    if os.environ.get("CASEX_NO_CACHE"):
        return build()
    folder = cache_dir()
    path = folder / f"{name}-{hashlib.sha256(key.encode()).hexdigest()[:16]}.pickle"
    if _trusted(path):
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except Exception as error:  # a damaged file is rebuilt
            log.warning("cache %s unreadable (%s); rebuilding it", path, error)
    value = build()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        for stale in folder.glob(f"{name}-*.pickle"):
            stale.unlink(missing_ok=True)
        write_bytes_atomic(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.chmod(path, 0o600)
    except (OSError, OutputError) as error:
        log.info("cache %s not written: %s", path, error)
    return value


def _trusted(path: Path) -> bool:
    """The file and its folder belong to this user, and nobody else may write them."""
    try:
        for item in (path.parent, path):
            info = item.lstat()
            if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
                return False
            if stat.S_ISLNK(info.st_mode):
                return False
    except OSError:
        return False
    return True
