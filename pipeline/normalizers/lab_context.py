"""Lab values read with their neighbours: reference ranges, chained values, `respectively`
lists, and analytes that casex's table does not name.

- A value in brackets right after a value, opened by a reference word (`(normal range 7-40
  U/L)`, `(reference < 35 U/L)`, `[ULN 1.2]`) or written as a bare range (`(7-40 U/L)`), is a
  reference range or limit, not a measurement (spec section 9).
- A value tied to the one before it (`2.9 mg/dL, up from 1.0 mg/dL`) or restating it in
  brackets (`7.3 g/dL (73 g/L)`) names the same analyte.
- `Ferritin, CRP and D-dimer were 2100 ng/mL, 85 mg/L and 4.2 mg/L, respectively` gives the
  analytes to the values in order.
- A number after an assay's sensitivity words (`at a sensitivity of 10^-5`) is no value.
- A value whose analyte no table names takes the word right before it, in lower case
  (`Procalcitonin 12 ng/mL` gives `procalcitonin`): the analyte is never null when the text
  names one.
Words live in patterns/vocab/lab_context.json.
"""

from __future__ import annotations

import re
from bisect import bisect_left

_RANGE = re.compile(r"\d\s?(?:[-–]|to)\s?\d")
_RESPECTIVELY = re.compile(r"\brespectively\b", re.I)
_CLAUSE_END = re.compile(r"[.;!?](?:\s|$)|\n")


class LabContext:
    def __init__(self, words: dict) -> None:
        reference = _alternation(words["reference"])
        self.reference_re = re.compile(
            rf"^\s*[(\[]\s*(?:(?:{reference})\b[^)\]\d<>≤≥]*?)?[:,=]?\s*"
            r"(?:[<>≤≥]=?|below|under|up to|less than|more than|above)?\s*$",
            re.I,
        )
        self.cue_re = re.compile(rf"[(\[]\s*(?:{reference})\b", re.I)
        chain = _alternation(words["chain"])
        # `, up from`, `(ULN 1.2), up from`, or a bracket restating it: `7.3 g/dL (73 g/L)`
        self.chain_re = re.compile(
            rf"^\s*(?:\([^()]*\)[\s,;]*)?(?:[,;]?\s*(?:{chain})\s*(?:[<>≤≥]=?\s*)?|[(\[]\s*)$",
            re.I,
        )
        self.not_analytes = {w.lower() for w in words["not_analytes"]}
        self.limit_re = re.compile(rf"\b(?:{_alternation(words['detection_limit'])})\b", re.I)
        self.name_re = re.compile(
            r"(?<![\w-])([A-Za-z][A-Za-z0-9-]{1,24})\s*(?:(?:[:=]|was|were|is|of)\s*)?$"
        )

    def is_reference(self, text: str, previous_end: int, start: int, end: int) -> bool:
        """Whether the value at [start, end) is a reference range after the value ending at
        `previous_end`."""
        between = text[previous_end:start]
        if not self.reference_re.match(between):
            return False
        return bool(self.cue_re.search(between)) or bool(_RANGE.search(text[start:end]))

    def is_detection_limit(self, words_before: str) -> bool:
        """Whether the words before a number make it an assay's sensitivity (spec section 9)."""
        return bool(self.limit_re.search(words_before))

    def is_chained(self, text: str, previous_end: int, start: int) -> bool:
        return bool(self.chain_re.match(text[previous_end:start]))

    def respectively(self, text: str, values: list, analyte_spans: list) -> list[tuple]:
        """(value, analyte) pairs of each `respectively` list in `text` (values and analyte
        spans in text order)."""
        pairs = []
        value_starts = [v.start for v in values]
        analyte_starts = [span[0] for span in analyte_spans]
        for match in _RESPECTIVELY.finditer(text):
            window = max(0, match.start() - 600)
            ends = [m.end() for m in _CLAUSE_END.finditer(text, window, match.start())]
            clause_start = ends[-1] if ends else window
            listed = values[
                bisect_left(value_starts, clause_start) : bisect_left(value_starts, match.start())
            ]
            if len(listed) < 2:
                continue
            named = analyte_spans[
                bisect_left(analyte_starts, clause_start) : bisect_left(
                    analyte_starts, listed[0].start
                )
            ]
            if len(named) == len(listed):
                pairs += [(value, span[2]) for value, span in zip(listed, named)]
        return pairs

    def named_analyte(self, text: str, start: int) -> str | None:
        """The word right before a value, when it can name an analyte."""
        match = self.name_re.search(text, max(0, start - 30), start)
        if not match:
            return None
        word = match.group(1)
        if word.lower() in self.not_analytes or not re.search(r"[a-z]", word, re.I):
            return None
        return word.lower()


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
