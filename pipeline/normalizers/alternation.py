"""Regular expressions for long word lists, as tries: `he(?:moglobin|matocrit)`.

Python's `re` tries the branches of an alternation one after another at every position;
sharing prefixes makes a list of hundreds of names cost little more than a few.
"""

from __future__ import annotations

import re


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
