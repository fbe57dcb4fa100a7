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
        """(value, analyte) pairs of each `respectively` list in `text`."""
        pairs = []
        for match in _RESPECTIVELY.finditer(text):
            starts = [m.end() for m in _CLAUSE_END.finditer(text, 0, match.start())]
            clause_start = starts[-1] if starts else 0
            listed = [v for v in values if clause_start <= v.start < match.start()]
            if len(listed) < 2:
                continue
            named = [a for s, _, a in analyte_spans if clause_start <= s < listed[0].start]
            if len(named) == len(listed):
                pairs += list(zip(listed, named))
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
