"""The one resolver for the project's data folders."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent


def patterns_dir() -> Path:
    """The `patterns/` folder: the checkout's own, or the copy shipped inside a wheel."""
    for candidate in (REPO_DIR / "patterns", PACKAGE_DIR / "_patterns"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"no patterns folder beside {PACKAGE_DIR}")


def corpus_dir() -> Path:
    return REPO_DIR / "corpus"


def outputs_dir() -> Path:
    return REPO_DIR / "outputs"
