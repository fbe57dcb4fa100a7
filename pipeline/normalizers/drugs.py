"""Drug names: brand and code name to generic, and INN stems for agents no list names."""

from __future__ import annotations

import re

# Second words of antibody-drug conjugates and modified proteins (`inotuzumab ozogamicin`).
_CONJUGATE = (
    r"ozogamicin|vedotin|mafodotin|emtansine|deruxtecan|govitecan|tesirine|pasudotox|"
    r"ravtansine|soravtansine|tiuxetan|alfa|beta|pegol"
)


_WORD = re.compile(r"(?<![\w-])[A-Za-z]{5,}(?![\w-])")


class DrugLexicon:
    """Generic names, brands and synonyms of patterns/vocab/drugs.jsonl, and INN stems."""

    def __init__(self, entries: list[dict], stems: dict) -> None:
        self.forms: dict[str, tuple[str, str | None]] = {}
        for entry in entries:
            generic = entry["name"].lower()
            self.forms.setdefault(entry["name"], (generic, None))
            for synonym in entry.get("synonyms", []):
                self.forms.setdefault(synonym, (generic, None))
            for brand in entry.get("brands", []):
                self.forms.setdefault(brand, (generic, brand))
        self._lower = {form.lower(): value for form, value in self.forms.items()}
        self.stems = sorted(
            ((s["suffix"], s.get("min_length", len(s["suffix"]) + 4)) for s in stems["stems"]),
            key=lambda item: -len(item[0]),
        )
        self.not_drugs = {word.lower() for word in stems.get("exclude", [])}
        self.suffixes = tuple(suffix for suffix, _ in self.stems)
        self.minimum = {suffix: minimum for suffix, minimum in self.stems}
        self.conjugate_re = re.compile(rf"\s+(?:{_CONJUGATE})\b", re.I)

    def normalize(self, text: str, name: str | None = None) -> dict:
        """`{"name", "brand"}` for a drug mention; `name` overrides (a defined abbreviation)."""
        if name is not None:
            return {"name": name, "brand": None}
        written = re.sub(r"\s+", " ", text.strip())
        generic, brand = (
            self.forms.get(written) or self._lower.get(written.lower()) or (written.lower(), None)
        )
        return {"name": generic, "brand": brand}

    def stem_names(self, text: str) -> list[tuple[int, int]]:
        """Character spans of words with a drug-name stem that no list names (`xyzotinib`),
        with the second word of a conjugate (`loncastuximab tesirine`)."""
        spans = []
        for match in _WORD.finditer(text):
            word = match.group().lower()
            if word.endswith(self.suffixes) and self._is_stem_name(word):
                conjugate = self.conjugate_re.match(text, match.end())
                spans.append((match.start(), conjugate.end() if conjugate else match.end()))
        return spans

    def _is_stem_name(self, word: str) -> bool:
        if word in self.not_drugs or word in self._lower:
            return False
        return any(word.endswith(suffix) and len(word) >= minimum for suffix, minimum in self.stems)
