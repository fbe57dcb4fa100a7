"""Analyte names: where a text names a lab analyte, and its canonical name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from casex.normalizers.alternation import trie_alternation


@dataclass(frozen=True)
class Analyte:
    canonical: str
    si_unit: str | None
    molar_mass: float | None
    unitless: bool


class AnalyteTable:
    """The analytes of patterns/vocab/analytes.json and one regex over their names."""

    def __init__(self, vocab: dict) -> None:
        self.by_name: dict[str, Analyte] = {}
        sensitive, insensitive = [], []
        for entry in vocab["analytes"]:
            analyte = Analyte(
                entry["canonical"],
                entry.get("si_unit"),
                entry.get("molar_mass"),
                entry.get("unitless", False),
            )
            self.by_name[entry["canonical"]] = analyte
            for name in entry["names"]:
                if len(name.replace("-", "")) <= 3:
                    sensitive += [name.upper(), name.capitalize()]
                else:
                    insensitive.append(name)
                self.by_name.setdefault(name.lower(), analyte)
            for name in entry.get("case_sensitive_names", []):
                sensitive.append(name)
                self.by_name.setdefault(name.lower(), analyte)
        # Two plain alternations (inline case flags in one big pattern are slow in `re`):
        # names written as given, and lower-case names searched in the lower-cased text.
        self.sensitive_re = _names_regex(sensitive)
        self.insensitive_re = _names_regex([n.lower() for n in insensitive])

    def find(self, text: str) -> list[tuple[int, int, Analyte]]:
        """Every analyte name in `text` as (start, end, analyte)."""
        lowered = text.lower()
        spans = [
            (match.start(), match.end(), self.by_name[re.sub(r"\s+", " ", match.group()).lower()])
            for pattern, searched in ((self.sensitive_re, text), (self.insensitive_re, lowered))
            for match in pattern.finditer(searched)
        ]
        spans.sort(key=lambda span: (span[0], -span[1]))
        kept: list[tuple[int, int, Analyte]] = []
        for span in spans:
            if not kept or span[0] >= kept[-1][1]:
                kept.append(span)
        return kept


def _names_regex(names: list[str]) -> re.Pattern:
    return re.compile(rf"(?<![A-Za-z0-9])(?:{trie_alternation(names)})(?![A-Za-z0-9])")
