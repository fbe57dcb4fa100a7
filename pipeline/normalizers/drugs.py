"""Drug names: brand and code name to generic, and INN stems for agents no list names."""

from __future__ import annotations

import re

# Second words of antibody-drug conjugates and modified proteins (`inotuzumab ozogamicin`).
_CONJUGATE = re.compile(
    r"^(?:ozogamicin|vedotin|mafodotin|emtansine|deruxtecan|govitecan|tesirine|pasudotox|"
    r"ravtansine|soravtansine|tiuxetan|alfa|beta|pegol)$"
)


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

    def normalize(self, text: str, name: str | None = None) -> dict:
        """`{"name", "brand"}` for a drug mention; `name` overrides (a defined abbreviation)."""
        if name is not None:
            return {"name": name, "brand": None}
        written = re.sub(r"\s+", " ", text.strip())
        generic, brand = (
            self.forms.get(written) or self._lower.get(written.lower()) or (written.lower(), None)
        )
        return {"name": generic, "brand": brand}

    def has_stem(self, word: str) -> bool:
        """True for a word that ends in a drug-name stem and is long enough to be a name."""
        if word in self.not_drugs or word in self._lower:
            return False
        return any(word.endswith(suffix) and len(word) >= minimum for suffix, minimum in self.stems)

    @staticmethod
    def is_conjugate(word: str) -> bool:
        return bool(_CONJUGATE.match(word))
