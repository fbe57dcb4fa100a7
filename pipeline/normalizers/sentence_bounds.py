"""Sentence boundaries on plain text: the rules of casex's splitter, without spaCy.

Sentences end at line breaks and at `.`, `?`, `!` followed by a capital, a digit or a
bracket, unless the word before the stop is an abbreviation (`Fig.`, `et al.`, `vs.`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

# Words after which a full stop does not end a sentence.
NON_FINAL = [
    "fig", "figs", "al", "e.g", "i.e", "vs", "dr", "approx", "no", "ref", "refs", "ca", "cf",
    "st", "mr", "mrs", "ms", "prof", "pt", "pts", "tab", "suppl", "vol",
]  # fmt: skip
_LINE_BREAK = re.compile(r"\n\s*(?=\S)")
_STOP = re.compile(r"[.?!]\s+(?=[A-Z0-9(\[•])")
_LAST_WORD = re.compile(r"[\w.]*$")


def sentence_start_chars(text: str, non_final: set[str] | None = None) -> list[int]:
    """Character offsets where a new sentence starts (the text's start excluded)."""
    non_final = set(NON_FINAL) if non_final is None else non_final
    positions = [match.end() for match in _LINE_BREAK.finditer(text)]
    for match in _STOP.finditer(text):
        word = _LAST_WORD.search(text, max(0, match.start() - 12), match.start()).group()
        if word.lower().rstrip(".") not in non_final:
            positions.append(match.end())
    return sorted(set(positions))


def sentence_around(text: str, sentence_starts: list[int], start: int, end: int) -> str:
    """The sentence(s) holding text[start:end], whitespace collapsed to single spaces."""
    index = bisect_right(sentence_starts, start)
    left = sentence_starts[index - 1] if index else 0
    after = bisect_left(sentence_starts, end)
    right = sentence_starts[after] if after < len(sentence_starts) else len(text)
    return " ".join(text[left:right].split())
