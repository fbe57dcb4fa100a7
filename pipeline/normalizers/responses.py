"""Response phrases: basis from the words of the span, Deauville scores as numbers."""

from __future__ import annotations

import re

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5}


def response_basis(text: str, category: str, deauville: int | None, vocab: dict) -> str | None:
    """`morphologic CR` is morphologic, `CMR` metabolic, a Deauville score metabolic."""
    # words after `with` describe recovery (`CR with incomplete hematologic recovery`), not basis
    for word in re.findall(r"[a-z]+", text.lower().split(" with ")[0]):
        if word in vocab["basis_words"]:
            return vocab["basis_words"][word]
    if category in vocab["category_basis"]:
        return vocab["category_basis"][category]
    return "metabolic" if deauville is not None else None


def deauville_score(written: str) -> int | None:
    """`IV` or `4` gives 4; anything outside 1 to 5 gives None."""
    written = written.strip().lower()
    score = int(written) if written.isdigit() else _ROMAN.get(written)
    return score if score is not None and 1 <= score <= 5 else None
