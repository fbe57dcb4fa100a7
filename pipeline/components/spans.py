"""Helpers shared by the entity components: candidate spans and pattern files."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from casex.paths import patterns_dir

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


class PhrasePatterns:
    """Token patterns of exact values or `IN` lists, matched as phrases.

    spaCy's Matcher checks `IN` sets in Python for every token; spelled out as phrases the
    same patterns are hash look-ups, many times faster on long documents. Phrases match on
    lower case; tokens a pattern gives as `ORTH` are then checked as written.
    """

    def __init__(self, vocab: Vocab, patterns: list[dict]) -> None:
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        self.rules: dict[str, tuple[str, list[tuple[int, set[str]]]]] = {}
        for number, entry in enumerate(patterns):
            alternatives, exact = [], []
            for position, token in enumerate(entry["pattern"]):
                if len(token) != 1 or "OP" in token or next(iter(token)) not in ("LOWER", "ORTH"):
                    raise ValueError(f"pattern {entry} needs one LOWER or ORTH value per token")
                ((attr, value),) = token.items()
                values = value["IN"] if isinstance(value, dict) else [value]
                alternatives.append(sorted({v.lower() for v in values}))
                if attr == "ORTH":
                    exact.append((position, set(values)))
            key = f"{entry['id']}#{number}"
            self.rules[key] = (entry["id"], exact)
            words = itertools.product(*alternatives)
            self.matcher.add(key, [Doc(vocab, words=list(w)) for w in words])

    def __call__(self, doc: Doc) -> list[tuple[str, int, int]]:
        """(pattern id, start, end) of every match."""
        found = []
        for key, start, end in self.matcher(doc, as_spans=False):
            label, exact = self.rules[doc.vocab.strings[key]]
            if all(doc[start + position].text in allowed for position, allowed in exact):
                found.append((label, start, end))
        return found
