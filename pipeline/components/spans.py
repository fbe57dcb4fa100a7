"""Helpers shared by the entity components: candidate spans and pattern files."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from pathlib import Path

from spacy.strings import hash_string
from spacy.symbols import IDS
from spacy.tokens import Doc, Span

from casex.extensions import word_positions
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
    """Phrases as sequences of lower-case tokens: adding a phrase builds no Doc (spaCy's
    PhraseMatcher needs one per phrase), and matching is a dictionary look-up at each token
    that can start a phrase, for each length up to the longest phrase it starts. Tokens are
    the hashes spaCy stores as LOWER, so that matching reads one array and makes no Token."""

    def __init__(self) -> None:
        self.phrases: dict[tuple[int, ...], list[str]] = {}  # LOWER hashes -> keys
        # first token -> the lengths of the phrases it starts, ascending (one shared tuple
        # for each set of lengths: a few hundred tuples for 100,000 phrases)
        self.lengths: dict[int, tuple[int, ...]] = {}
        self._shared: dict[tuple[int, ...], tuple[int, ...]] = {}

    def add(self, key: str, words: Iterable[str]) -> None:
        tokens = tuple(_lower_id(word) for word in words)
        self.phrases.setdefault(tokens, []).append(key)
        lengths = tuple(sorted({*self.lengths.get(tokens[0], ()), len(tokens)}))
        self.lengths[tokens[0]] = self._shared.setdefault(lengths, lengths)

    def __call__(self, doc: Doc) -> list[tuple[str, int, int]]:
        """(key, start, end) of every phrase in `doc`, by start, then end."""
        lowers, positions = word_positions(doc)
        lengths, phrases, found = self.lengths, self.phrases, []
        # the positions of the words that start a phrase: the doc's distinct words met with
        # the trie's first words
        starts = sorted(at for word in positions.keys() & lengths.keys() for at in positions[word])
        size = len(lowers)
        for start in starts:
            for length in lengths[lowers[start]]:
                if start + length > size:
                    break
                for key in phrases.get(tuple(lowers[start : start + length]), ()):
                    found.append((key, start, start + length))
        return found


def _lower_id(word: str) -> int:
    """The LOWER value spaCy gives a token: a symbol's fixed id (`agent` is 401), else the
    hash of the lower-case text."""
    lower = word.lower()
    return IDS.get(lower, hash_string(lower))


def written_form(form: str) -> bool:
    """Whether a listed form matches only as written: short forms and acronyms (`CRS`,
    `GvHD`, `DRESS`, `VRd`); other forms match in any case."""
    return len(form) <= 4 or (" " not in form and sum(ch.isupper() for ch in form) >= 2)


def longest_matches(found: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Non-overlapping (key, start, end) trie matches, the longest at each start, left to
    right."""
    kept: list[tuple[str, int, int]] = []
    for key, start, end in sorted(found, key=lambda f: (f[1], -f[2])):
        if not kept or start >= kept[-1][2]:
            kept.append((key, start, end))
    return kept


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
