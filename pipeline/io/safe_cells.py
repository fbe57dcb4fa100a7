"""Text cells that a spreadsheet never runs as a formula (OWASP, "CSV Injection").

A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is written with
one leading single quote, so that Excel, LibreOffice and Google Sheets show it as text; a text
that begins with a single quote gets one too, so that reading back can always strip exactly
one guard. Numbers are never text cells and are never guarded (a lab value of -0.5 stays a
number).
"""

from __future__ import annotations

GUARD = "'"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_GUARDED_STARTS = (*FORMULA_STARTS, GUARD)


def guard_formula(text: str) -> str:
    """`text`, with a leading `'` when a spreadsheet could read it as a formula."""
    return GUARD + text if text.startswith(_GUARDED_STARTS) else text


def unguard_formula(text: str) -> str:
    """The original text of a cell written by `guard_formula`."""
    if text.startswith(GUARD) and text[1:].startswith(_GUARDED_STARTS):
        return text[1:]
    return text
