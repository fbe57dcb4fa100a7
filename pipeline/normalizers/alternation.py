"""Regular expressions for long word lists, as tries: `he(?:moglobin|matocrit)`.

Python's `re` tries the branches of an alternation one after another at every position;
sharing prefixes makes a list of hundreds of names cost little more than a few.
`grouped_alternation` does the same for branches that cannot share a prefix (each its own
case rule), grouping them by their first letter.
"""

from __future__ import annotations

import re
import string


def trie_alternation(words: list[str]) -> str:
    """A pattern matching exactly the given words, longest match first at each branch."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _pattern(trie)


def _pattern(node: dict) -> str:
    ends_here = "" in node
    branches = [re.escape(char) + _pattern(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    return f"(?:{body})?" if ends_here else body


def grouped_alternation(branches: list[tuple[str, str]]) -> str:
    """The alternation of `branches`, (first character, pattern) pairs in order, grouped by
    first letter, each group behind a look-ahead for it.

    `re` skips a branch that opens with a literal character the text does not have, but it
    enters every branch that opens with a group, such as the inline flags of `(?i:mg)`: 350
    units cost 350 entries at every number. Grouped, a position enters one group. Every branch
    that can match a given character is in that character's group, in the given order (a
    character that matches an ASCII letter when case is ignored, as `ſ` does `s`, counts as
    that letter), so the first branch that leads to a match is the same as before.
    """
    groups: dict[str, list[str]] = {}
    letters: dict[str, str] = {}  # first character -> its letter, or ""
    for first, pattern in branches:
        if first not in letters:
            letters[first] = _letter(first)
        groups.setdefault(letters[first], []).append(pattern)
    return "|".join(
        (f"(?=(?i:{letter}))" if letter else "(?=[^A-Za-z])") + f"(?:{'|'.join(patterns)})"
        for letter, patterns in groups.items()
    )


def _letter(char: str) -> str:
    """The ASCII letter, in lower case, that `char` matches when case is ignored, or ""."""
    if char in string.ascii_letters:
        return char.lower()
    matched = (c for c in string.ascii_letters if re.fullmatch(re.escape(char), c, re.I))
    return next(matched, "").lower()
