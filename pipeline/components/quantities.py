"""Quantity grammar: doses and lab values from numbers, units and analyte names.

A number followed by a unit is a `DOSE` when the unit is a dose unit (`mg`, `mg/m2`, `IU`,
`Gy`, `AUC 5`) and a `LAB_VALUE` when it is a lab unit (`/μL`, `×10^9/L`, `g/dL`, `%`).
A percentage counts only next to an analyte name. An analyte that may stand without a
unit (`SUV max = 32`, `MRD ... (10-3)`) makes the number after it a `LAB_VALUE`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from casex.gated_regex import gated
from casex.normalizers.analytes import Analyte, AnalyteTable
from casex.normalizers.lab_context import RESPECTIVELY, LabContext
from casex.normalizers.lab_tables import inline_values, table_values
from casex.normalizers.mrd import MrdPredicates
from casex.normalizers.numbers import (
    NUMBER_RE,
    POWER_RE,
    SCIENTIFIC_RE,
    parse_exponent,
    parse_number,
    parse_range_start,
)
from casex.normalizers.schedules import (
    ScheduleGrammar,
    frequency_of_days,
    in_brackets,
    shared_days,
    treatment_days,
)
from casex.normalizers.units import Unit, UnitTable

_COMPARATORS = {
    "<": "<",
    ">": ">",
    "≤": "<=",
    "≥": ">=",
    "<=": "<=",
    ">=": ">=",
    "below": "<",
    "under": "<",
    "less than": "<",
    "lower than": "<",
    "above": ">",
    "over": ">",
    "greater than": ">",
    "more than": ">",
    "higher than": ">",
    "up to": "<=",
    "exceeded": ">",
    "exceeding": ">",
    "exceeds": ">",
}
_COMPARATOR = "|".join(re.escape(c) for c in sorted(_COMPARATORS, key=len, reverse=True))
_MULTIPLIER = r"(?:[×xX*]\s?)?10\s?(?:\^\s?|\(\s?|[eE])?(?P<exp>[-−]?\d{1,2}|[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+)\)?"
# Words that may stand between an analyte name and its value.
_FILLER = (
    r"(?:\s*(?:=|:|of|was|were|is|at|to|value|values|level|levels|ratio|index|score|count|"
    r"reached|positivity|negativity|positive|negative|increased|decreased|rose|fell|\(|,|-|"
    r"by|flow|cytometry|next-generation|sequencing|NGS|PCR|qPCR|RT-qPCR|a|sensitivity|in|"
    r"peripheral|blood|bone|marrow|the|below|quantitative|range|remained|had|has|having|from|"
    r"fallen|risen|falling|rising|normali[sz]ed|improved|declined|dropped|on|FDG-PET|PET|persisted|"
    r"persistent|been|only)"
    r"\s*){0,9}"
)
_SENTENCE_END = re.compile(r"[.;!?](?:\s+(?=[A-Z(])|\s*\n)|\n")
_RADIATION_UNITS = {"Gy", "cGy"}
_COUNT_SI = "10*9/L"
_FIGURE_PANEL = re.compile(r"(?:fig|figs|figure|table)\.?\s*$", re.I)
_ANALYTE_AFTER = 30  # characters after a value in which an analyte name may follow it
# what may stand between: `62% blasts`, `46% marrow blasts`, `600/μL of circulating neutrophils`
_BETWEEN_VALUE_AND_ANALYTE = re.compile(  # `70% neutrophils`, not `16.2 ×10⁹/L (neutrophils`
    r"\s*(?:(?:of|bone|marrow|peripheral|blood|circulating|the|in|atypical|abnormal|small"
    r"|medium-sized|large|to|immature|mature)\s+){0,4}"
)
_ANALYTE_BEFORE = 45  # characters before a value in which its analyte may stand
_INFUSION = re.compile(r"\binfus(?:ion|ions|ed)\b", re.I)
_FLUID_BEFORE = re.compile(
    r"\b(?:CSF|cerebrospinal|pleural|ascitic|ascites|synovial|peritoneal|fluid|puncture|"
    r"thoracentesis|paracentesis|arthrocentesis|effusion)\b",
    re.I,
)
_NEGATIVE_AT = re.compile(
    r"\b(?:negative|negativity|undetectable|not\s+detected)\b[^.;()\d]{0,60}\bat\s+$", re.I
)
_TIME_WORD_BEFORE = re.compile(r"\b(?:day|days|week|weeks|cycle|cycles|month|months)\s+$", re.I)
_THEN_TO = re.compile(rf"\s+to\s+(?P<num>{NUMBER_RE})(?![\w.,]?\d|\s?[%/×])")
# the next value of a list of unitless values: `INRs of 2.3, 2.8 and 2.5`
_LISTED_NEXT = re.compile(
    rf"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?P<num>{NUMBER_RE})(?![\w.,]?\d|\s?[%/×])"
    r"(?!\s*(?:h|hours?|days?|weeks?|months?|years?|min|minutes?)\b)"
)
_EARLIER_VALUE = re.compile(
    r"(?:[<>≤≥]?\s*\d+(?:[.,]\d+)?\s?%\s*(?:,\s*and|,|and|then|to)\s*)+(?:[<>≤≥]=?\s*)?$"
)
_INTERNATIONAL_SCALE = re.compile(r"\s?\(?IS\b")
_TIME_OR_CLONE = re.compile(
    r"\b(?:on\s+)?(?:day|week|month|cycle|hour)\s+\d+\b|\([A-Za-z0-9-]{1,10}\)", re.I
)


@dataclass
class Quantity:
    label: str
    start: int
    end: int
    normalized: dict = field(default_factory=dict)
    named_at: tuple[int, int] | None = None  # the word naming an analyte casex's table lacks


class QuantityGrammar:
    """Finds doses and lab values in a text."""

    def __init__(
        self,
        units: UnitTable,
        analytes: AnalyteTable,
        schedules: ScheduleGrammar,
        context: LabContext,
        mrd: MrdPredicates,
    ) -> None:
        self.units, self.analytes, self.schedules = units, analytes, schedules
        self.context, self.mrd = context, mrd
        self.dots_group = False  # set per text by `find`
        self.drugs: list[tuple[int, int]] = []  # the drug mentions of the text, set by `find`
        self.level_re = re.compile(
            rf"\s*(?:at|of|to|:|,|\()?\s*(?:(?P<cmp>{_COMPARATOR})\s?)?"
            rf"(?P<num>{SCIENTIFIC_RE}|{POWER_RE}|{NUMBER_RE}(?=\s?%))(?:\s?(?P<unit>%))?"
            r"(?![A-Za-z0-9])"
        )
        self.quantity_re = gated(
            rf"(?<![\w.,/^])(?<![A-Za-z0-9]-)(?P<num>{NUMBER_RE})"
            rf"(?:\s?(?:[-–]|to)\s?(?P<num2>{NUMBER_RE}))?"
            rf"(?:\s?(?:(?P<mult>{_MULTIPLIER})\s?(?P<base>{units.exponent_base_pattern})"
            rf"|(?P<unit>{units.unit_pattern})))(?![A-Za-z0-9µμ²³])"
        )
        self.auc_re = gated(
            r"\b(?:AUC|area under the (?:concentration-time )?curve)\s?(?:=|of)?\s?"
            r"(?P<num>\d+(?:[.,]\d+)?)(?![\d.,]?\d)",
            re.I,
        )
        # `2 x 10^6 CAR-T cells/kg`: a cell dose
        self.cell_dose_re = gated(
            rf"(?<![\w.,])(?P<num>{NUMBER_RE})\s?{_MULTIPLIER}\s?"
            r"(?P<cells>(?:(?:CAR[- ]?T|CD34\+?|CD3\+?|viable|nucleated|T)[- ])?cells?)"
            r"\s?/\s?(?P<per>kg|m2|m²)\b",
            re.I,
        )
        # `lopinavir/ritonavir 400/100 mg`: one dose of each agent, in order
        self.paired_dose_re = gated(
            rf"(?<![\w.,/])(?P<num>{NUMBER_RE})/(?P<num2>{NUMBER_RE})\s?(?P<unit>{units.unit_pattern})"
            r"(?![A-Za-z0-9µμ²³/])"
        )
        # `CrAg titre was 1:640`: a titre is the dilution's denominator, without a unit
        self.titre_re = gated(
            r"\b(?:titres?|titers?)\b[^.;\d]{0,30}?(?P<titre>1\s?:\s?(?P<num>\d{1,6}))\b", re.I
        )
        # `131 and 98 mmol/L`: numbers before the last, which gives them its unit
        self.shared_unit_re = gated(
            rf"(?<![\w.,/^-])(?P<nums>{NUMBER_RE}(?:\s*,\s*{NUMBER_RE})*)\s*,?\s+and\s+"
            rf"(?={NUMBER_RE}\s?\S)"
        )
        # a comparator right before a number: looked up behind it, as numbers are rare
        self.comparator_re = re.compile(rf"(?<![\w])(?P<cmp>{_COMPARATOR})\s?$", re.I)
        self.unit_after_re = re.compile(rf"\s?(?:{units.unit_pattern})(?![A-Za-z])")
        self.bare_value_re = re.compile(  # `combined positive score (CPS) of 15`
            rf"(?:\s?\([A-Za-z][A-Za-z0-9-]{{0,9}}\))?\s?{_FILLER}(?:(?P<cmp>{_COMPARATOR})\s?)?"
            rf"(?P<num>{SCIENTIFIC_RE}|{POWER_RE}|{NUMBER_RE})"
            rf"(?:\s?(?P<unit>{units.unit_pattern}))?(?![A-Za-z0-9])"
        )

    def find(self, text: str, drugs: list[tuple[int, int]] = ()) -> list[Quantity]:
        """Doses and lab values of `text`, in order, without overlaps; `drugs` are the
        (start, end) of the drug mentions, in order (an amount is a dose only next to one)."""
        analyte_spans = self.analytes.find(text)
        # spec section 9: a report that writes decimal commas (`1,3 mg`) groups thousands with
        # dots (`1.500 mg` is 1500)
        self.dots_group = _writes_decimal_commas(text)
        self.drugs = drugs
        found = [
            quantity
            for match in self.quantity_re.finditer(text)
            for quantity in self._quantity(text, match, analyte_spans, drugs)
        ]
        found += [self._auc(m) for m in self.auc_re.finditer(text)]
        found += [self._cell_dose(m) for m in self.cell_dose_re.finditer(text)]
        found += [d for m in self.paired_dose_re.finditer(text) for d in self._paired_doses(m)]
        found += self._unitless_values(text, analyte_spans)
        found += self._predicate_levels(text)
        found += self._sharing_a_unit(text, found)
        found += [
            self._lab_value(
                m.start("titre"),
                m.end(),
                self._analyte_of(text, m.start(), m.end(), analyte_spans),
                float(m.group("num")),
                None,
                None,
            )
            for m in self.titre_re.finditer(text)
        ]
        found += self._table_values(text, analyte_spans)
        found.sort(key=lambda q: (q.start, -q.end))
        kept: list[Quantity] = []
        for quantity in found:
            if not kept or quantity.start >= kept[-1].end:
                kept.append(quantity)
        kept = self._in_context(text, kept, analyte_spans)
        starts = [q.start for q in kept]  # in order, without overlaps: the ends are in order too
        drug_starts = [start for start, _ in self.drugs]
        for quantity in kept:
            if quantity.label == "DOSE":
                self._schedule(text, quantity, kept, starts, drug_starts)
        return kept

    def _number(self, written: str, count: bool = False) -> float:
        """A number of the text being read, in the report's own number format."""
        return parse_number(written, count=count or self.dots_group)

    def _table_values(self, text: str, analyte_spans: list) -> list[Quantity]:
        """Bare numbers in the rows of a table written as text (casex.normalizers.lab_tables)."""
        values = []
        cells = [*table_values(text, self._unit_of, self._analyte_named)]
        cells += inline_values(text, analyte_spans, self._unit_of)
        for cell in cells:
            known = cell.analyte if isinstance(cell.analyte, Analyte) else None
            value = self._lab_value(
                cell.start, cell.end, known, cell.value, cell.unit, cell.comparator
            )
            if known is None and cell.analyte:
                self._give_analyte(value, cell.analyte)
            values.append(value)
        return values

    def _unit_of(self, written: str) -> Unit | None:
        """The unit a table label writes: `mmol/L`, `×10⁹/L`."""
        match = self.quantity_re.pattern.fullmatch("1 " + written)
        if match is None:
            return None
        if match.group("mult"):
            return self.units.power_unit(parse_exponent(match.group("mult")), match.group("base"))
        return self.units.lookup(match.group("unit"))

    def _analyte_named(self, label: str) -> Analyte | None:
        """casex's analyte of a table label: the first name it holds."""
        spans = self.analytes.find(label)
        return spans[0][2] if spans else None

    def _sharing_a_unit(self, text: str, found: list[Quantity]) -> list[Quantity]:
        """Numbers listed before a lab value that take its unit: `131 and 98 mmol/L`, `186,
        142 and 90 U/L` (each a value in that unit)."""
        values = {q.start: q for q in found if q.label == "LAB_VALUE"}
        shared = []
        for match in self.shared_unit_re.finditer(text):
            last = values.get(match.end())
            unit = last and self.units.by_canonical.get(last.normalized["unit"] or "")
            if unit is None:
                continue
            if _TIME_WORD_BEFORE.search(text, max(0, match.start() - 8), match.start()):
                continue  # `on day 12 and 172,000/µL on day 15`: a day, not a count
            for number in re.finditer(NUMBER_RE, match.group("nums")):
                start = match.start("nums") + number.start()
                value = self._number(number.group(), count=unit.dimension == "count")
                shared.append(
                    self._lab_value(start, start + len(number.group()), None, value, unit, None)
                )
        return shared

    def _in_context(self, text: str, quantities: list[Quantity], analyte_spans: list) -> list:
        """Lab values read with their neighbours (see casex.normalizers.lab_context)."""
        kept: list[Quantity] = []
        previous: Quantity | None = None
        quantities = [
            q
            for q in quantities
            if q.label != "LAB_VALUE" or not self.context.is_threshold(text, q.start)
        ]
        for quantity in quantities:
            if quantity.label == "LAB_VALUE" and previous is not None:
                if self.context.is_reference(text, previous.end, quantity.start, quantity.end):
                    continue
                if quantity.normalized["analyte"] is None and self.context.is_chained(
                    text, previous.end, quantity.start
                ):
                    self._give_analyte(quantity, previous.normalized["analyte"])
            kept.append(quantity)
            previous = quantity if quantity.label == "LAB_VALUE" else None
        values = [q for q in kept if q.label == "LAB_VALUE"]
        for value, name in self.context.respectively(text, values, analyte_spans):
            analyte = self.analytes.by_name.get(name)
            self._give_analyte(value, analyte.canonical if analyte else name)
        ending_at = {span[1]: span[2] for span in analyte_spans}
        for value in values:
            if value.normalized["analyte"] is None and (
                named := self.context.named_analyte(text, value.start)
            ):
                name, start, end = named
                if end in ending_at:  # the word ends a name casex's table knows: `Free T4 fell`
                    self._give_analyte(value, ending_at[end].canonical)
                    continue
                value.named_at = (start, end)
                self._give_analyte(value, name)
        for index, value in enumerate(values):
            if value.normalized["analyte"] is not None or index == 0:
                continue
            previous = values[index - 1]
            if self.context.is_chained(text, previous.end, value.start):
                # `168 mg/L (1,112 µmol/L)` after a name found above
                self._give_analyte(value, previous.normalized["analyte"])
                continue
            # `peaked at 3,4 mg/dL (301 µmol/L) on day 6 and then fell to 1,5 mg/dL`: the
            # sentence's last value in the same unit
            for earlier in reversed(values[max(0, index - 3) : index]):
                if self.context.continues(text, earlier, value):
                    self._give_analyte(value, earlier.normalized["analyte"])
                    break
        for value in values:
            # `MRD-negative by NGS at 10^-5`: negative at that level, a bound (ANNOTATION.md)
            if (
                value.normalized["analyte"] == "mrd"
                and value.normalized["comparator"] is None
                and _NEGATIVE_AT.search(text, max(0, value.start - 80), value.start)
            ):
                value.normalized["comparator"] = "<"
        return [
            q
            for q in kept
            if q.label != "LAB_VALUE"
            or not (
                q.normalized["analyte"] in self.context.not_labs
                or (
                    q.normalized["analyte"] is None
                    and (self.context.is_vital(text, q.start) or q.normalized["unit"] == "%")
                )
            )
        ]

    def _give_analyte(self, value: Quantity, name: str | None) -> None:
        """Set a lab value's analyte (casex's canonical name where its table knows the name),
        with its SI value when the table knows it."""
        fields = value.normalized
        analyte = self.analytes.by_name.get(name) if name else None
        fields["analyte"] = analyte.canonical if analyte else name
        fields["value_si"], fields["unit_si"] = self._si(fields["value"], fields["unit"], analyte)

    def _si(self, value: float, unit: str | None, analyte: Analyte | None) -> tuple:
        """(value_si, unit_si): the value in its analyte's SI unit; an analyte without one in
        casex's table (`troponin` in ng/L, an unnamed analyte) keeps its own unit where that is
        a measure (per volume, a pressure, a share; not `copies`), a count going to 10*9/L,
        as does an absolute count of an analyte usually given as a share (`blasts 0.12 ×
        10^9/L`)."""
        dimension = self.units.factor_of(unit)[0] if unit is not None else None
        count = dimension == "count"
        if analyte is None or analyte.si_unit is None:
            if count:  # cells/µL: 10*9/L
                return self.units.to_si(value, unit, "10*9/L")
            measured = unit is not None and ("/" in unit or dimension is not None)
            return (value, unit) if measured else (None, None)
        if count and analyte.si_unit == "%":  # an absolute count of what is usually a share
            return self.units.to_si(value, unit, "10*9/L")
        return self.units.to_si(value, unit, analyte.si_unit, analyte.molar_mass)

    def _quantity(
        self, text: str, match: re.Match, analyte_spans: list, drugs: list[tuple[int, int]]
    ) -> list[Quantity]:
        """The dose or lab value of a match: none, one, or two for a change written as a range
        (`creatinine increased from 0.8 to 1.9 mg/dL`: 0.8 and 1.9 mg/dL)."""
        start = match.start("num")
        if _FIGURE_PANEL.search(text, max(0, start - 12), start):
            return []
        if match.group("mult"):
            unit = self.units.power_unit(parse_exponent(match.group("mult")), match.group("base"))
        else:
            unit = self.units.lookup(match.group("unit"))
            glued = match.start("unit") == _end_of_number(match)
            if unit is None or (glued and len(match.group("unit")) == 1 and unit.canonical != "%"):
                return []  # a glued one-letter unit is a figure panel or a label: `Fig. 1g`
        value = parse_range_start(
            text[start : _end_of_number(match)], count=unit.dimension == "count" or self.dots_group
        )
        if match.group("num2") and _TIME_WORD_BEFORE.search(text, max(0, start - 8), start):
            # `from a peak of 5.2 mg/dL on day 5 to 0.6 mg/dL`: the day is no value
            start = match.start("num2")
            value = self._number(match.group("num2"), count=unit.dimension == "count")
        if (
            _PER_VOLUME_OR_TIME.match(text, match.end())
            and unit.kind != "dose"
            or (unit.kind == "dose" and _PER_VOLUME.match(text, match.end()))
        ):
            return []  # a strength (`1 mg/mL solution`) or a rate of change (`0.5 mmol/L/h`)
        if _BORN.match(text, match.end()):
            return []  # a birth weight: `a 1,890 g boy`
        if unit.kind == "amount" and not _next_to_drug(text, start, match.end(), drugs):
            return []  # `1.8 L drained`, `500 mL of blood`
        if unit.kind == "dose" and (
            excreted := self._excreted(text, match, start, value, unit, analyte_spans)
        ):
            return [excreted]  # `proteinuria of 4.2 g/day`: a lab value, not a dose
        if unit.kind in ("dose", "amount"):
            if match.group("num2") and _CHANGE.search(text, max(0, start - 8), match.start("num2")):
                # `weaned from 0.45 to 0.08 µg/kg/min`: a change, two doses
                second = self._number(match.group("num2"))
                return [
                    Quantity("DOSE", start, match.end("num"), _dose_fields(value, unit.canonical)),
                    Quantity(
                        "DOSE",
                        match.start("num2"),
                        match.end(),
                        _dose_fields(second, unit.canonical),
                    ),
                ]
            return [Quantity("DOSE", start, match.end(), _dose_fields(value, unit.canonical))]
        if _NEGATIVE.match(text, max(0, start - 2), start):  # `base excess −15.2 mmol/L`
            start, value = start - 1, -value
        analyte = self._analyte_of(text, start, match.end(), analyte_spans)
        if (
            analyte is None
            and "cell" in (match.group("unit") or "").lower()
            and _FLUID_BEFORE.search(text, _sentence_bounds(text, start, start)[0], start)
        ):
            # `2,450 cells/µL` in a fluid is its white cell count (spec section 9)
            analyte = self.analytes.by_name.get("wbc")
        if unit.dimension == "time" and (analyte is None or analyte.si_unit != "s"):
            return []  # seconds count for a clotting time only: `aPTT 62 s`
        if unit.dimension == "percent" and (
            (analyte is None and not self._may_be_named(text, start))
            or (analyte is not None and analyte.si_unit not in ("%", _COUNT_SI))
        ):
            # a percentage counts for analytes measured in percent and for differential
            # counts (`70% neutrophils`), not `8.4%` saline
            return []
        comparator = self.comparator_re.search(text, max(0, start - 14), start)
        cmp = comparator.group("cmp") if comparator else None
        if match.group("num2") and _CHANGE.search(text, max(0, start - 8), match.start("num2")):
            second = match.start("num2")
            count = unit.dimension == "count"
            return [
                self._lab_value(start, match.end("num"), analyte, value, unit, cmp),
                self._lab_value(
                    second,
                    match.end(),
                    analyte,
                    self._number(match.group("num2"), count=count),
                    unit,
                    None,
                ),
            ]
        values = [self._lab_value(start, match.end(), analyte, value, unit, cmp)]
        if earlier := _BARE_EARLIER.match(text, match.end()):  # `23 mL/min, down from 52`
            number = self._number(earlier.group("num"), count=unit.dimension == "count")
            values.append(
                self._lab_value(earlier.start("num"), earlier.end(), analyte, number, unit, None)
            )
        return values

    def _may_be_named(self, text: str, start: int) -> bool:
        """Whether a percentage without an analyte may take one from its neighbours: a
        `respectively` list (`hemoglobin, hematocrit and platelets were 15.8 g/dL, 47% and
        ...`) or a bracket restating the value before it (`2.1 × 10⁹/L (14%)`)."""
        sentence_end = _sentence_bounds(text, start, start)[1]
        return bool(
            RESPECTIVELY.search(text, start, sentence_end)
            or _RESTATING.search(text, max(0, start - 24), start)
        )

    def _excreted(
        self,
        text: str,
        match: re.Match,
        start: int,
        value: float,
        mass: Unit,
        analyte_spans: list,
    ) -> Quantity | None:
        """A mass per day after an analyte measured per 24 hours (`proteinuria was 3.9 g/day`)."""
        per_day = _PER_DAY.match(text, match.end())
        if per_day is None:
            return None
        unit = self.units.by_canonical.get(f"{mass.canonical}/24 h")
        analyte = self._analyte_of(text, start, match.end(), analyte_spans)
        if (
            unit is None
            or analyte is None
            or analyte.si_unit is None
            or self.units.factor_of(analyte.si_unit)[0] != unit.dimension
        ):
            return None
        return self._lab_value(start, per_day.end(), analyte, value, unit, None)

    def _lab_value(
        self,
        start: int,
        end: int,
        analyte: Analyte | None,
        value: float,
        unit: Unit | None,
        comparator: str | None,
    ) -> Quantity:
        canonical = unit.canonical if unit else None
        value_si, unit_si = self._si(value, canonical, analyte)
        return Quantity(
            "LAB_VALUE",
            start,
            end,
            {
                "analyte": analyte.canonical if analyte else None,
                "value": value,
                "unit": canonical,
                "comparator": _COMPARATORS.get(comparator.lower()) if comparator else None,
                "value_si": value_si,
                "unit_si": unit_si,
            },
        )

    def _analyte_of(self, text: str, start: int, end: int, analyte_spans: list) -> Analyte | None:
        """The analyte named right after the value, else the nearest one before it in its clause."""
        # analyte spans do not overlap and are in text order (starts and ends sorted): only
        # those near the value can qualify
        first = bisect_left(analyte_spans, start - 2 * _ANALYTE_BEFORE, key=lambda span: span[1])
        last = bisect_right(analyte_spans, end + _ANALYTE_AFTER, key=lambda span: span[0])
        nearby = analyte_spans[first:last]
        for a_start, _a_end, analyte in nearby:
            if end <= a_start <= end + _ANALYTE_AFTER and _BETWEEN_VALUE_AND_ANALYTE.fullmatch(
                text[end:a_start]
            ):
                return analyte
        before = [(a_end, analyte) for a_start, a_end, analyte in nearby if a_end <= start]
        if before:
            a_end, analyte = before[-1]
            # a time, a clone name or the list's earlier values may stand between: `CRP on
            # day 3 was`, `TPS (22C3) was`, `MRD was 0.8% on day 15 and <0.01%`
            gap = _TIME_OR_CLONE.sub(" ", text[a_end:start])
            gap = _EARLIER_VALUE.sub(" ", gap)
            if (
                len(gap) <= _ANALYTE_BEFORE
                and not _SENTENCE_END.search(gap)
                and not re.search(r"\d", gap)
            ):
                return analyte
        if _INTERNATIONAL_SCALE.match(text, end):  # `0.32% IS`: a BCR-ABL1 level
            return self.analytes.by_name.get("bcr-abl1")
        return None

    def _unitless_values(self, text: str, analyte_spans: list) -> list[Quantity]:
        """`SUV max = 32`, `MRD positivity (10-3)`: values after analytes that need no unit."""
        values = []
        for _start, end, analyte in analyte_spans:
            if not analyte.unitless:
                continue
            match = self.bare_value_re.match(text, end)
            if not match or self.context.is_detection_limit(text[end : match.start("num")]):
                continue
            unit = self.units.lookup(match.group("unit")) if match.group("unit") else None
            if unit is not None and unit.kind == "dose":
                continue
            value = self._number(match.group("num"))
            values.append(
                self._lab_value(
                    match.start("num"), match.end(), analyte, value, unit, match.group("cmp")
                )
            )
            if unit is None:  # `INR rose from 2.4 to 5.8`, `INRs of 2.3, 2.8 and 2.5`
                values += self._following_values(text, match.end(), analyte)
        return values

    def _following_values(self, text: str, end: int, analyte: Analyte) -> list[Quantity]:
        """The unitless values that go on from a value ending at `end`: its change (`to 5.8`),
        then the rest of its list (`, 2.8 and 2.5`)."""
        values = []
        for pattern in (_THEN_TO, _LISTED_NEXT):
            while (after := pattern.match(text, end)) and not self.unit_after_re.match(
                text, after.end()
            ):
                number = self._number(after.group("num"))
                values.append(
                    self._lab_value(after.start("num"), after.end(), analyte, number, None, None)
                )
                end = after.end()
        return values

    def _predicate_levels(self, text: str) -> list[Quantity]:
        """The MRD level right after a status word: `remained detectable at 10^-4`,
        `turned negative (<10^-5)`."""
        mrd = self.analytes.by_name["mrd"]
        levels = []
        for _, end, _, _ in self.mrd.find(text):
            match = self.level_re.match(text, end)
            if match is None or self.context.is_detection_limit(text[end : match.start("num")]):
                continue
            unit = self.units.lookup(match.group("unit")) if match.group("unit") else None
            value = self._number(match.group("num"))
            levels.append(
                self._lab_value(
                    match.start("num"), match.end(), mrd, value, unit, match.group("cmp")
                )
            )
        return levels

    def _cell_dose(self, match: re.Match) -> Quantity:
        value = self._number(match.group("num")) * 10.0 ** parse_exponent(
            "10^" + match.group("exp")
        )
        per = match.group("per").replace("²", "2")
        return Quantity("DOSE", match.start(), match.end(), _dose_fields(value, f"cells/{per}"))

    def _paired_doses(self, match: re.Match) -> list[Quantity]:
        unit = self.units.lookup(match.group("unit"))
        if unit is None or unit.kind != "dose":
            return []
        return [
            Quantity(
                "DOSE",
                match.start("num"),
                match.end("num"),
                _dose_fields(self._number(match.group("num")), unit.canonical),
            ),
            Quantity(
                "DOSE",
                match.start("num2"),
                match.end(),
                _dose_fields(self._number(match.group("num2")), unit.canonical),
            ),
        ]

    def _auc(self, match: re.Match) -> Quantity:
        return Quantity(
            "DOSE",
            match.start(),
            match.end(),
            _dose_fields(self._number(match.group("num")), "AUC"),
        )

    def _sentence_frequency(
        self, text: str, dose: Quantity, quantities: list[Quantity], start: int, end: int
    ) -> str | None:
        """The frequency of the dose's sentence nearest to it, outside its own words: a
        cycle's (`every 21 days`, `28-day cycles`) from anywhere in the sentence, another
        only where no other dose stands between it and this one (`10 mg IV, then 10 mg SC
        daily`: daily is the second dose's)."""
        others = [q for q in quantities if q is not dose and start <= q.start < end]
        best: tuple[int, str] | None = None
        for offset, frequency in self.schedules.frequencies_in(text[start:end]):
            position = start + offset
            if dose.start <= position < dose.end:
                continue
            low, high = (position, dose.start) if position < dose.start else (dose.end, position)
            owner = max((q for q in others if q.end <= position), key=lambda q: q.end, default=None)
            owned = (  # `40 mmol orally three times daily and magnesium 2 g`: the 40 mmol's
                owner is not None
                and owner.label == "DOSE"
                and position - owner.end <= 40
                and not re.search(r"[;.]", text[owner.end : position])
            )
            between = any(low < other.start < high for other in others)
            shared = _COLLECTIVE_BEFORE.search(text, max(start, position - 25), position)
            if not (_CYCLE.match(frequency) or shared) and (between or owned):
                continue
            if best is None or high - low < best[0]:
                best = (high - low, frequency)
        return best[1] if best else None

    def _schedule(
        self,
        text: str,
        dose: Quantity,
        quantities: list[Quantity],
        starts: list[int],
        drug_starts: list[int],
    ) -> None:
        """Frequency, days and route from the words after the dose and from its sentence; a
        rate (`0.1 µg/kg/min`) has a route only.

        The words right after the dose come first (`twice daily`, `d1-14`); days alone give
        `once`, `daily` or `weekly`, unless the sentence names a cycle (`every 3 weeks`) for a
        dose given on one day of it; a schedule word elsewhere in the sentence comes last.
        Radiation totals (`30 Gy in 15 fractions`) have no schedule or route.
        """
        if dose.normalized["unit"] in _RADIATION_UNITS:
            return
        sentence_start, sentence_end = _sentence_bounds(text, dose.start, dose.end)
        # the quantities of the dose's sentence (looked up by bisection: a long report has many)
        first, last = bisect_left(starts, sentence_start), bisect_left(starts, sentence_end)
        in_sentence = quantities[first:last]
        following = [q.start for q in in_sentence if q.start > dose.start]
        clause_end = min([sentence_end, *following])
        semicolon = text.find(";", dose.end, clause_end)
        clause = text[dose.end : semicolon if semicolon != -1 else clause_end]
        frequency = self.schedules.frequency(clause[:40])
        # the words after the list this dose opens, read only when it has no frequency
        tail = _list_tail(text, dose, in_sentence, sentence_end) if frequency is None else ""
        days = treatment_days(clause)
        if days and len(days) == 1 and _within_a_day(frequency) and not _OF_CYCLE.search(clause):
            days = None  # `restarted at 2.5 mg daily on day 3`: the day it began, no schedule
        if days is None and frequency is None:
            days = shared_days(text[dose.end : sentence_end]) or treatment_days(tail)
        sentence_frequency = self._sentence_frequency(
            text, dose, in_sentence, sentence_start, sentence_end
        )
        loading = _LOADING.match(clause) or (
            frequency is None and _LOADING_BEFORE.search(text, sentence_start, dose.start)
        )
        frequency = "once" if loading else frequency
        if days and len(days) > 1 and frequency and _CYCLE.match(frequency):
            # `days 1-5, every 21 days`: daily on those days of each cycle
            frequency = frequency_of_days(days) or frequency
        if frequency is None and days:
            frequency = frequency_of_days(days)
            if (
                frequency == "once"
                and sentence_frequency
                and sentence_frequency.startswith("every")
                and not _ONE_CYCLE.match(text, dose.end, sentence_end)
            ):
                frequency = sentence_frequency  # day 1 of each cycle, not of cycle 1
        if frequency is None and not days:  # `then 50 mg, 100 mg and 200 mg daily`
            frequency = self.schedules.frequency(tail)
        restated = _restated_dose(text, dose, quantities, bisect_left(starts, dose.start))
        if frequency is None and restated is not None:
            frequency = restated.normalized["frequency"]  # `0.5 mg/kg/day (30 mg)`
        if frequency is None:
            frequency = sentence_frequency
        fields = dose.normalized
        fields["frequency"] = (
            None
            if frequency == "once" and not days and not (loading or _says_once(clause))
            else frequency
        )
        fields["days"] = days
        if fields["unit"].endswith(("/min", "/h")):  # a rate (an infusion) has no schedule
            fields["frequency"] = fields["days"] = None
        sentence = text[sentence_start:sentence_end]
        doses = [
            (q.start - sentence_start, q.end - sentence_start)
            for q in in_sentence
            if q.label == "DOSE"
        ]
        own = (dose.start - sentence_start, dose.end - sentence_start)
        drugs = [
            (start - sentence_start, end - sentence_start)
            for start, end in self.drugs[
                bisect_left(drug_starts, sentence_start) : bisect_left(drug_starts, sentence_end)
            ]
        ]
        fields["route"] = self.schedules.route(sentence, own, doses, drugs)
        if fields["route"] is None and restated is not None:
            fields["route"] = restated.normalized["route"]  # `60 mg/kg (4.500 mg)`
        if (
            fields["route"] is None
            and fields["unit"].endswith(("/min", "/h"))
            and _INFUSION.search(sentence)
        ):
            # a rate in a sentence about an infusion runs by it (`a noradrenaline infusion was
            # started at 0.12 µg/kg/min and titrated up to 0.45 µg/kg/min`)
            fields["route"] = self.schedules.route_of.get("infusion")


# between two doses of one list of the same drug: a comma, `and`, `then` (`50 mg, 100 mg
# and 200 mg daily`); a list of drugs is not one (`cyclophosphamide 750 mg/m2 and prednisone
# 100 mg orally on days 1-5`: the days are prednisone's)
_LIST_GAP = re.compile(r"\s*(?:,|and|or|then|to|,\s*and|,\s*then)\s*")
_RESTATED = re.compile(r"[^();.]{0,40}\(\s*")
# `each daily for three days`: a frequency that a list's doses share
_COLLECTIVE_BEFORE = re.compile(r"\b(?:each|both|all)\s+(?:[\w-]+\s+)?$", re.I)
# a cycle's frequency, which the doses of a regimen's sentence share
_CYCLE = re.compile(r"every \d+ (?:weeks|days|months)|monthly")


def _list_tail(text: str, dose: Quantity, quantities: list[Quantity], sentence_end: int) -> str:
    """The words after the last dose of the list that `dose` opens (`50 mg, 100 mg and
    200 mg daily`), or after `dose` itself up to the next dose, but for a dose in brackets
    (`1.4 mg/m2 (capped at 2 mg) IV on day 1`)."""
    end = dose.end
    following = sorted(
        (q for q in quantities if q.label == "DOSE" and dose.end <= q.start < sentence_end),
        key=lambda q: q.start,
    )
    for index, quantity in enumerate(following):
        if _LIST_GAP.fullmatch(text, end, quantity.start):
            end = quantity.end
            continue
        if "(" in text[end : quantity.start]:  # a dose in brackets: read on after them
            closing = text.find(")", quantity.end, sentence_end)
            stop = following[index + 1].start if index + 1 < len(following) else sentence_end
            return text[end : stop if closing == -1 else min(stop, closing + 50)]
        return _before_semicolon(text[end : min(end + 50, quantity.start)])
    return _before_semicolon(text[end : min(end + 50, sentence_end)])


# between a dose and the drug named after it: `1 g of cytarabine`, `100 mL of 8.4% sodium
# bicarbonate`, `a 1000 mL bolus of 0.9% sodium chloride` (also read by the relations)
DOSE_THEN_DRUG = r"\s*(?:(?:bolus|infusion|dose|volume)\s+)?(?:of\s+)?(?:\d+(?:\.\d+)?\s?%\s+)?"
_AMOUNT_OF = re.compile(DOSE_THEN_DRUG)
_PER_VOLUME = re.compile(r"/(?:mL|ml|L|l)\b")
# an earlier value in the same unit, the unit left out: `eGFR 23 mL/min, down from 52`
_BARE_EARLIER = re.compile(
    rf",?\s+(?:up|down)\s+from\s+(?P<num>{NUMBER_RE})(?![\w.,]?\d|\s?[%/×]|\s?[A-Za-zµμ])"
)
_RESTATING = re.compile(r"\d\s?(?:[^\s\d()]+\s?){0,3}\(\s*$")
_OF_CYCLE = re.compile(r"\bof\s+(?:each|every|the|a|all)?\s*(?:\w+\s+)?cycles?\b", re.I)
_BORN = re.compile(r"\s+(?:boy|girl|infant|baby|neonate|newborn|male|female)\b", re.I)
_PER_DAY = re.compile(r"\s?(?:/\s?(?:day|d|24\s?h(?:ours?)?)|per\s+day)\b")
_PER_VOLUME_OR_TIME = re.compile(r"/(?:h|hr|hour|min|day|d)\b")
_DRUG_THEN_AMOUNT = re.compile(r"\s*(?:was\s+|were\s+|at\s+|of\s+)?")


def _next_to_drug(text: str, start: int, end: int, drugs: list[tuple[int, int]]) -> bool:
    """Whether a drug mention follows the amount at [start, end) (`2 L of saline`) or
    precedes it (`potassium chloride 40 mmol`)."""
    index = bisect_left(drugs, (end, end))
    after = index < len(drugs) and _AMOUNT_OF.fullmatch(text, end, drugs[index][0])
    before = index > 0 and _DRUG_THEN_AMOUNT.fullmatch(text, drugs[index - 1][1], start)
    return bool(after or before)


_DECIMAL_COMMA = gated(r"(?<![\d.,])\d{1,3},\d{1,2}(?![\d,.])")
_DECIMAL_POINT = gated(r"(?<![\d.,])\d{1,3}\.\d{1,2}(?![\d,.])")


def _writes_decimal_commas(text: str) -> bool:
    """Whether a report writes decimals with commas (`12,4 mg/l`) more than with points."""
    commas = sum(1 for _ in _DECIMAL_COMMA.finditer(text))
    return commas > 0 and commas > sum(1 for _ in _DECIMAL_POINT.finditer(text))


def _restated_dose(
    text: str, dose: Quantity, quantities: list[Quantity], index: int
) -> Quantity | None:
    """The dose that `dose` (at `index` of the quantities, in order and without overlaps)
    restates in brackets right after it, if any."""
    before = next(
        (quantities[i] for i in range(index - 1, -1, -1) if quantities[i].label == "DOSE"), None
    )
    if before is not None and _RESTATED.fullmatch(text, before.end, dose.start):
        return before
    return None


def _before_semicolon(words: str) -> str:
    return words.split(";", 1)[0]


# a minus sign of its own before a lab value's number
_NEGATIVE = re.compile(r"(?:^|[\s(:=])[-−]$")
# `from 0.8 to 1.9 mg/dL`: a change, not a range
_CHANGE = re.compile(r"\bfrom\s+\S+\s?to\s?$", re.I)


def _end_of_number(match: re.Match) -> int:
    return match.end("num2") if match.group("num2") else match.end("num")


def _dose_fields(value: float, unit: str) -> dict:
    return {
        "value": value,
        "unit": unit,
        "frequency": None,
        "days": None,
        "route": None,
        "drug": None,
    }


def _says_once(clause: str) -> bool:
    return bool(re.search(r"\b(?:once|single|loading)\b", clause, re.I))


# `8 mg/kg as a loading dose`, `840 mg loading`: given once
_LOADING = re.compile(r"^\W*(?:(?:as|a|an|the|i\.?v\.?|iv)\s+){0,3}loading\b", re.I)
# `a loading dose of 300 mg`, `a single dose of amikacin 15 mg/kg` (unless a frequency
# follows: `a loading dose of 6 mg/kg every 12 hours for two doses`)
_LOADING_BEFORE = re.compile(r"\b(?:loading|single)\s+dose\s+of\s+(?:[\w-]+\s+)?$", re.I)
# `on day 1 and 900 mg on day 2 of cycle 1`: a day of one cycle, not of each
_ONE_CYCLE = re.compile(r"(?:(?!\bthen\b)[^;])*?\bof cycle \d+\b(?!\s*(?:to|-|–)\s*\d)", re.I)


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Approximate sentence around [start, end): from the previous to the next sentence end."""
    window = max(0, start - 400)
    before = [
        m.end()
        for m in _SENTENCE_END.finditer(text, window, start)
        if not _bracketed_semicolon(text, m, window)
    ]
    after = next(
        (m for m in _SENTENCE_END.finditer(text, end) if not _bracketed_semicolon(text, m, end)),
        None,
    )
    return (before[-1] if before else window), (after.start() + 1 if after else len(text))


def _within_a_day(frequency: str | None) -> bool:
    """A frequency that repeats within days (`daily`, `twice daily`, `every 8 hours`)."""
    return bool(frequency) and (
        frequency.endswith("daily") or bool(re.fullmatch(r"every \d+ hours?", frequency))
    )


def _bracketed_semicolon(text: str, match: re.Match, since: int) -> bool:
    """A `;` inside brackets (`(NAC; Acetadote)`) ends no sentence."""
    return match.group()[0] == ";" and in_brackets(text, match.start(), since)
