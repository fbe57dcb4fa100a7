"""The one resolver for casex's folders: the package's own data, and the user's defaults.

Defaults for what the user reads and writes are relative to the current folder, never to
where casex is installed. The bundled corpus is the checkout's `corpus/` when casex runs from
its source tree, else the demo shipped inside the package (the reference paper and its gold).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT = PACKAGE_DIR.parent


def patterns_dir() -> Path:
    """The rule files: the checkout's `patterns/`, or the copy shipped inside the package."""
    for candidate in (_CHECKOUT / "patterns", PACKAGE_DIR / "_patterns"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"no patterns folder beside {PACKAGE_DIR}")


def bundled_corpus() -> Path:
    """The corpus `casex run` extracts and scores: `raw/` reports and `gold/`."""
    checkout = _CHECKOUT / "corpus"
    if (checkout / "raw").is_dir() and (_CHECKOUT / "pyproject.toml").is_file():
        return checkout
    return PACKAGE_DIR / "_demo"


OUTPUTS = Path("outputs")  # relative: below the folder casex runs in
CORPUS = Path("corpus")
