"""Unit grammar: written units to canonical units, and SI conversion per analyte."""

from __future__ import annotations

import re
from dataclasses import dataclass

from casex.normalizers.alternation import grouped_alternation

_POWER_UNIT = re.compile(r"^10\*(-?\d+)(/L|/uL)$")
_BASE_FACTOR = {"/L": 1.0, "/uL": 1e6}


@dataclass(frozen=True)
class Unit:
    canonical: str
    kind: str  # "dose", "lab", or "amount" (a dose only next to a drug)
    dimension: str | None
    factor: float | None


class UnitTable:
    """The units of patterns/vocab/units.json, with one regex that finds them after a number."""

    def __init__(self, vocab: dict) -> None:
        self.by_form: dict[str, Unit] = {}
        self.by_canonical: dict[str, Unit] = {}
        sensitive, insensitive = [], []
        for entry in vocab["units"]:
            unit = Unit(
                entry["canonical"], entry["kind"], entry.get("dimension"), entry.get("factor")
            )
            self.by_canonical.setdefault(unit.canonical, unit)
            for form in entry["forms"]:
                for variant in _micro_variants(form):
                    key = variant if entry.get("case_sensitive") else variant.lower()
                    self.by_form.setdefault(key, unit)
                    (sensitive if entry.get("case_sensitive") else insensitive).append(variant)
        self.exponent_bases = {
            variant.lower(): (base["canonical"], base["factor"])
            for base in vocab["exponent_bases"]
            for form in base["forms"]
            for variant in _micro_variants(form)
        }
        self.unit_pattern = _alternation(sensitive, insensitive)
        self.exponent_base_pattern = _alternation([], list(self.exponent_bases))

    def lookup(self, written: str) -> Unit | None:
        """The unit written as `written` (spaces normalised), or None."""
        text = re.sub(r"\s+", " ", written.strip())
        return self.by_form.get(text) or self.by_form.get(text.lower())

    def power_unit(self, exponent: int, written_base: str) -> Unit:
        """`×10^9` + `/L` gives the count unit `10*9/L`."""
        base, factor = self.exponent_bases[re.sub(r"\s+", "", written_base).lower()]
        return Unit(f"10*{exponent}{base}", "lab", "count", factor * 10.0**exponent)

    def factor_of(self, canonical: str) -> tuple[str | None, float | None]:
        """Dimension and factor of a canonical unit, including `10*N/L` forms."""
        power = _POWER_UNIT.match(canonical)
        if power:
            return "count", 10.0 ** int(power.group(1)) * _BASE_FACTOR[power.group(2)]
        unit = self.by_canonical.get(canonical)
        return (unit.dimension, unit.factor) if unit else (None, None)

    def to_si(
        self, value: float, unit: str | None, si_unit: str | None, molar_mass: float | None = None
    ) -> tuple[float | None, str | None]:
        """`value unit` in the analyte's SI unit, or (None, None) when no conversion applies."""
        if unit is None or si_unit is None:
            return None, None
        if unit == si_unit:
            return value, si_unit
        dim_from, f_from = self.factor_of(unit)
        dim_to, f_to = self.factor_of(si_unit)
        if None in (dim_from, f_from, dim_to, f_to):
            return None, None
        base = value * f_from
        if dim_from != dim_to:
            if molar_mass and {dim_from, dim_to} == {"mass_conc", "molar_conc"}:
                base = base / molar_mass if dim_to == "molar_conc" else base * molar_mass
            else:
                return None, None
        return float(f"{base / f_to:.6g}"), si_unit


def _micro_variants(form: str) -> list[str]:
    """`µg` is also written `μg` (Greek mu) and `ug`."""
    if "µ" not in form:
        return [form]
    return [form, form.replace("µ", "μ"), form.replace("µ", "u")]


def _alternation(sensitive: list[str], insensitive: list[str]) -> str:
    """One alternation, longest first; case-insensitive forms inside `(?i:...)`."""
    forms = sorted(
        [(f, re.escape(f).replace(r"\ ", r"\s?")) for f in sensitive]
        + [(f, f"(?i:{re.escape(f).replace(chr(92) + ' ', chr(92) + 's?')})") for f in insensitive],
        key=lambda form: -len(form[0]),
    )
    return grouped_alternation([(written[0], pattern) for written, pattern in forms])
