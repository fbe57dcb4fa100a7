"""Lab values in the rows of a table written as text: cells split by `|` or tabs, the analyte
and its unit in the row's first cell (`Sodium, mmol/L | 128 | 137 | 135-145`,
`Creatinine (mg/dL)<TAB>4.6<TAB>0.7-1.3`), bare numbers in the other cells; and the same rows
run together as a PDF's text gives them (`Hemoglobin (g/dL) 8.9 13.5–17.5 Platelet count
(×10^9/L) 142 150–400`): the bare numbers right after an analyte's name and its unit.

A column whose header names a reference range, and a range or a bound (`>60`) in a row's last
cell after other values, are reference ranges, not values (spec section 9). A cell that holds
its own unit (`128 mmol/L`) is left to the quantity grammar, as is any prose.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

from casex.normalizers.analytes import Analyte
from casex.normalizers.numbers import NUMBER_RE, parse_number
from casex.normalizers.units import Unit

_ROW = re.compile(r"^[^\n|\t]*(?:[|\t][^\n|\t]*){2,}$", re.M)  # linear: no nested repeats
_CELL = re.compile(r"[^|\t\n]+")
_REFERENCE_HEADER = re.compile(r"\b(?:reference|normal|range|ref\.?|ULN|LLN)\b", re.I)
_VALUE_CELL = re.compile(rf"\s*(?P<cmp>[<>≤≥]=?)?\s*(?P<num>{NUMBER_RE})\s*")
# the unit of a row's label: `Sodium, mmol/L`, `Creatinine (mg/dL)`, `Platelets [x10^9/L]`
_LABEL_UNIT = re.compile(
    r"^(?P<name>.*?)\s*(?:,\s*(?P<after>[^,()\[\]]+)|[(\[](?P<inside>[^()\[\]]+)[)\]])\s*$"
)


class TableValue(NamedTuple):
    start: int
    end: int
    analyte: Analyte | str | None
    value: float
    unit: Unit | None
    comparator: str | None


def table_values(
    text: str,
    unit_of: Callable[[str], Unit | None],
    analyte_of: Callable[[str], Analyte | None],
) -> Iterator[TableValue]:
    """The values of every table row in `text`; `unit_of` reads a unit's text, `analyte_of` a
    label's analyte from casex's table."""
    if "|" not in text and "\t" not in text:  # no cell separator: no row
        return
    reference_columns: set[int] = set()
    for row in _ROW.finditer(text):
        cells = [
            (m.start() + row.start(), m.end() + row.start()) for m in _CELL.finditer(row.group())
        ]
        if not cells:
            continue
        label = text[cells[0][0] : cells[0][1]].strip()
        if len(label) > 80:  # prose, not a row's label
            continue
        numeric = [i for i, (s, e) in enumerate(cells) if i and _VALUE_CELL.fullmatch(text, s, e)]
        if not numeric:  # a header row: which columns hold reference ranges
            reference_columns = {
                i for i, (s, e) in enumerate(cells) if _REFERENCE_HEADER.search(text, s, e)
            }
            continue
        parts = _LABEL_UNIT.match(label)
        unit_text = parts and (parts.group("after") or parts.group("inside"))
        unit = unit_of(unit_text.strip()) if unit_text else None
        name = parts.group("name") if unit is not None else label
        analyte = analyte_of(name)
        if unit is None and not (analyte is not None and analyte.unitless):
            continue  # a number without a unit names no lab value (`Age | 45`)
        last = len(cells) - 1
        for i in numeric:
            if i in reference_columns:
                continue
            cell = _VALUE_CELL.fullmatch(text, *cells[i])
            if cell.group("cmp") and i == last and len(numeric) > 1:
                continue  # `| 16 | 34 | >60`: the reference bound
            number = cell.group("num")
            count = unit is not None and unit.dimension == "count"
            yield TableValue(
                cell.start("num"),
                cell.end("num"),
                analyte if analyte is not None else _plain_name(name),
                parse_number(number, count=count),
                unit,
                cell.group("cmp"),
            )


def _plain_name(label: str) -> str | None:
    """A label casex's table does not know, as an analyte name: `Urine osmolality`."""
    name = re.sub(r"\s+", " ", label).strip(" :,-").lower()
    return name if re.fullmatch(r"[a-z][\w /+-]{1,40}", name) else None


_UNIT_AFTER_NAME = re.compile(
    r"\s*(?:\((?P<inside>[^()\n]{1,15})\)|,\s*(?P<after>[^\s,;()]{1,15}))"
    r"\s*(?:(?:was|were|of|:)\s*)?"
)
# a bare number standing alone: not a range's start, not followed by a unit or a word
_BARE = re.compile(  # digits without grouping by spaces: `128 137` are two numbers
    r"(?P<cmp>[<>≤≥]=?)?\s?(?P<num>\d+(?:[.,]\d+)*)(?![\d.,]*\s?(?:[-–]|to)\s?\d)"
    r"(?=\s|$|[;)]|[.,](?:\s|$))"
)


def inline_values(
    text: str,
    analyte_spans: list,
    unit_of: Callable[[str], Unit | None],
) -> Iterator[TableValue]:
    """Bare numbers after a known analyte and its unit written as a label (`Creatinine (mg/dL)
    4.6`, `Sodium, mmol/L 128 137`), up to three; a bound after values is the reference's."""
    for _start, end, analyte in analyte_spans:
        label = _UNIT_AFTER_NAME.match(text, end)
        if not label:
            continue
        unit = unit_of((label.group("inside") or label.group("after")).strip())
        if unit is None:
            continue
        position, found = label.end(), []
        while len(found) < 3:
            bare = _BARE.match(text, position)
            if not bare or (found and bare.group("cmp")):
                break
            found.append(bare)
            position = bare.end()
            while position < len(text) and text[position] in " \t":
                position += 1
        count = unit.dimension == "count"
        for bare in found:
            yield TableValue(
                bare.start("num"),
                bare.end("num"),
                analyte,
                parse_number(bare.group("num"), count=count),
                unit,
                bare.group("cmp"),
            )
