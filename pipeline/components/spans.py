"""Helpers shared by the entity components: candidate spans and pattern files."""

from __future__ import annotations

import json
from pathlib import Path

from spacy.tokens import Doc, Span

from pipeline.paths import patterns_dir

CANDIDATES = "casex_candidates"


def add_candidate(
    doc: Doc, start_char: int, end_char: int, label: str, normalized: dict
) -> Span | None:
    """Add a candidate mention over the tokens covering [start_char, end_char)."""
    span = doc.char_span(start_char, end_char, label=label, alignment_mode="expand")
    if span is None or not span.text.strip():
        return None
    span._.normalized = normalized
    doc.spans.setdefault(CANDIDATES, [])
    doc.spans[CANDIDATES].append(span)
    return span


def load_json(relative: str) -> dict:
    """A JSON file under patterns/."""
    return json.loads(pattern_path(relative).read_text(encoding="utf-8"))


def load_jsonl(relative: str) -> list[dict]:
    """A JSON Lines file under patterns/."""
    with pattern_path(relative).open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def pattern_path(relative: str) -> Path:
    return patterns_dir() / relative
