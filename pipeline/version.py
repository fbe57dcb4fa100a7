"""The version a record names: casex's version with a digest of its rules and code."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from casex import __version__
from casex.paths import PACKAGE_DIR, patterns_dir


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """casex's version with a digest of its rules and code: any change makes records stale."""
    digest = hashlib.sha256(__version__.encode())
    for root, pattern in ((patterns_dir(), "*"), (PACKAGE_DIR, "*.py"), (PACKAGE_DIR, "*.cfg")):
        for path in sorted(root.rglob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"
