"""Analyte names: where a text names a lab analyte, and its canonical name."""

from __future__ import annotations

import re
from dataclasses import dataclass


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
        alternatives = sorted(
            [(len(n), re.escape(n)) for n in sensitive]
            + [(len(n), f"(?i:{re.escape(n)})") for n in insensitive],
            key=lambda item: -item[0],
        )
        self.name_re = re.compile(
            r"(?<![A-Za-z0-9])(?:" + "|".join(p for _, p in alternatives) + r")(?![A-Za-z0-9])"
        )

    def find(self, text: str) -> list[tuple[int, int, Analyte]]:
        """Every analyte name in `text` as (start, end, analyte)."""
        spans = []
        for match in self.name_re.finditer(text):
            name = re.sub(r"\s+", " ", match.group()).lower()
            spans.append((match.start(), match.end(), self.by_name[name]))
        return spans
