"""Number grammar of clinical text: decimal commas, thousands separators, powers of ten."""

from __future__ import annotations

import re

# Characters that separate thousands groups or a number from its unit: space, no-break
# space, thin space, narrow no-break space.
SPACES = " \u00a0\u2009\u202f"
SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
MINUS_SIGNS = "-−–"

# One number as written: digits with optional grouping and one decimal part.
NUMBER_RE = (
    r"(?:(?<!\d-)\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?![\d.,])"  # 36 790, not CA19-9 212
    r"|\d+(?:[.,]\d+)*)"  # 7.3, 1,3, 168.000, 11,900, 1,234.5
)
# A power of ten written inline: 10-3, 10^-3, 10⁻³, 10e-4, 1e-4.
POWER_RE = r"(?:10\s?(?:\^|e|E)?\s?[-−–⁻]\s?[\d⁰¹²³⁴⁵⁶⁷⁸⁹]+|1[eE]-\d+)"

_POWER = re.compile(r"^(?:(1)[eE]|10\s?[\^eE]?\s?)([-−–⁻]\s?[\d⁰¹²³⁴⁵⁶⁷⁸⁹]+)$")
# A number times a negative power of ten: `2 × 10^-3` (an MRD level), 0.002.
SCIENTIFIC_RE = rf"\d+(?:[.,]\d+)?\s?[×xX*]\s?{POWER_RE}"
_SCIENTIFIC = re.compile(r"^(\d+(?:[.,]\d+)?)\s?[×xX*]\s?(.+)$")


def parse_number(text: str, *, count: bool = False) -> float:
    """Value of a number as written: `1,3` is 1.3, `2,400` 2400, `168.000` in a count 168000."""
    raw = text.strip().translate(SUPERSCRIPTS)
    for space in SPACES:
        raw = raw.replace(space, "")
    if not raw:
        raise ValueError(f"not a number: {text!r}")
    power = parse_power_of_ten(raw)
    if power is not None:
        return power
    scientific = _SCIENTIFIC.match(raw)
    if scientific and (power := _POWER.match(scientific.group(2))):
        exponent = re.sub(r"[-−–⁻]\s?", "-", power.group(2))
        return float(f"{scientific.group(1).replace(',', '.')}e{exponent}")
    if "," in raw and "." in raw:
        decimal = "," if raw.rfind(",") > raw.rfind(".") else "."
        grouping = "." if decimal == "," else ","
        return float(raw.replace(grouping, "").replace(decimal, "."))
    if "," in raw:
        return float(raw.replace(",", "") if _is_grouped(raw, ",") else raw.replace(",", "."))
    if "." in raw and count and _is_grouped(raw, "."):
        return float(raw.replace(".", ""))
    return float(raw)


def _is_grouped(raw: str, separator: str) -> bool:
    """True when every separator is followed by exactly three digits and the lead is not 0."""
    head, *groups = raw.split(separator)
    return (
        bool(groups)
        and head.isdigit()
        and head != "0"
        and len(head) <= 3
        and all(len(g) == 3 and g.isdigit() for g in groups)
    )


def parse_power_of_ten(text: str) -> float | None:
    """`10-3`, `10^-3`, `10⁻³` and `1e-3` give 0.001; anything else gives None."""
    match = _POWER.match(text.strip().translate(SUPERSCRIPTS))
    if not match:
        return None
    exponent = match.group(2).replace(" ", "")
    for sign in MINUS_SIGNS:
        exponent = exponent.replace(sign, "-")
    return float(f"1e{exponent}")


def parse_exponent(text: str) -> int:
    """Exponent of a multiplier such as `×10^9`, `x10(9)`, `× 10⁹`, `10E9`: here 9."""
    digits = re.sub(r"^\D*10\D*", "", text.translate(SUPERSCRIPTS))
    match = re.match(r"-?\d+", digits)
    if not match:
        raise ValueError(f"no exponent in {text!r}")
    return int(match.group(0))


def parse_range_start(text: str, *, count: bool = False) -> float:
    """Lower bound of a range such as `10-20` or `2 to 4`; a single number gives itself."""
    first = re.split(r"\s*(?:[-–]|to)\s*(?=\d)", text.strip(), maxsplit=1)[0]
    return parse_number(first, count=count)
