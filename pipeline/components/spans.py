"""Helpers shared by the entity components: candidate spans and pattern files."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from pathlib import Path

from spacy.attrs import LOWER
from spacy.strings import hash_string
from spacy.tokens import Doc, Span

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


class TokenTrie:
    """Phrases as sequences of tokens, in a trie keyed by the hash of each token's lower case
    (the value spaCy stores as LOWER): adding a phrase builds no Doc, and matching is a hash
    look-up at each token that can start a phrase."""

    def __init__(self) -> None:
        self.root: dict = {}

    def add(self, key: str, words: Iterable[str]) -> None:
        node = self.root
        for word in words:
            node = node.setdefault(hash_string(word.lower()), {})
        node.setdefault(_KEYS, []).append(key)

    def __call__(self, doc: Doc) -> list[tuple[str, int, int]]:
        """(key, start, end) of every phrase in `doc`, by start, then end."""
        lowers = doc.to_array(LOWER).tolist()
        root, found = self.root, []
        for start, first in enumerate(lowers):
            node = root.get(first)
            end = start + 1
            while node is not None:
                found.extend((key, start, end) for key in node.get(_KEYS, ()))
                node = node.get(lowers[end]) if end < len(lowers) else None
                end += 1
        return found


_KEYS = 0  # a trie node's entry for the keys of the phrases that end there (hashes are > 0)


class PhrasePatterns:
    """Token patterns of exact values or `IN` lists, matched as phrases.

    spaCy's Matcher checks `IN` sets in Python for every token; spelled out as phrases in a
    token trie the same patterns are hash look-ups. Phrases match on lower case; tokens a
    pattern gives as `ORTH` are then checked as written.
    """

    def __init__(self, patterns: list[dict]) -> None:
        self.trie = TokenTrie()
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
            for words in itertools.product(*alternatives):
                self.trie.add(key, words)

    def __call__(self, doc: Doc) -> list[tuple[str, int, int]]:
        """(pattern id, start, end) of every match."""
        found = []
        for key, start, end in self.trie(doc):
            label, exact = self.rules[key]
            if all(doc[start + position].text in allowed for position, allowed in exact):
                found.append((label, start, end))
        return found
