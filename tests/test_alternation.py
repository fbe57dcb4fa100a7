"""A grouped alternation matches what the plain alternation of its branches matches."""

import json
import re
from pathlib import Path

import pytest

from casex.normalizers.alternation import grouped_alternation
from casex.normalizers.units import _micro_variants

UNITS = Path(__file__).resolve().parents[1] / "patterns" / "vocab" / "units.json"


def _plain_and_grouped(branches):
    plain = re.compile(f"(?:{'|'.join(p for _, p in branches)})(?![A-Za-z0-9µμ])")
    grouped = re.compile(f"(?:{grouped_alternation(branches)})(?![A-Za-z0-9µμ])")
    return plain, grouped


@pytest.mark.parametrize(
    ("branches", "text", "matched"),
    [
        # the first branch that leads to a match wins, as in the plain alternation
        ([("m", "(?i:mg)"), ("M", "Mg/L"), ("m", "m")], "Mg/L", "Mg"),
        ([("m", "(?i:mg)"), ("M", "Mg/L"), ("m", "m")], "Mgx", None),
        ([("M", "Mg/L"), ("m", "(?i:mg)")], "Mg/L", "Mg/L"),
        # `ſ` matches `s` when case is ignored: it is looked for in the group of `s`
        ([("s", "(?i:sec)"), ("/", "/s")], "ſec", "ſec"),
        ([("ſ", "ſx"), ("s", "(?i:sx)")], "SX", "SX"),
        ([("µ", "µg"), ("μ", "μg"), ("%", "%")], "μg", "μg"),
    ],
)
def test_grouped_alternation_keeps_the_first_match(branches, text, matched):
    plain, grouped = _plain_and_grouped(branches)
    for pattern in (plain, grouped):
        match = pattern.match(text)
        assert (match.group() if match else None) == matched


def test_every_unit_form_matches_as_in_the_plain_alternation():
    """casex's units, each written as listed, in upper and lower case, and followed by more,
    match the same text in the grouped alternation as in the plain one."""
    sensitive, insensitive = [], []
    for entry in json.loads(UNITS.read_text(encoding="utf-8"))["units"]:
        for form in entry["forms"]:
            for variant in _micro_variants(form):
                (sensitive if entry.get("case_sensitive") else insensitive).append(variant)
    forms = sorted(
        [(f, re.escape(f).replace(r"\ ", r"\s?")) for f in sensitive]
        + [(f, f"(?i:{re.escape(f).replace(chr(92) + ' ', chr(92) + 's?')})") for f in insensitive],
        key=lambda form: -len(form[0]),
    )
    plain, grouped = _plain_and_grouped([(f[0], p) for f, p in forms])
    texts = [
        variant + tail
        for form, _ in forms
        for variant in (form, form.upper(), form.lower(), form.replace("s", "ſ"))
        for tail in ("", " daily", "/kg", "s", ".")
    ]
    assert len(texts) > 2000
    for text in texts:
        a, b = plain.match(text), grouped.match(text)
        assert (a and a.span()) == (b and b.span()), text
