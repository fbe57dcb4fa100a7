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
  (`Procalcitonin 12 ng/mL` gives `procalcitonin`), also across words of how it was
  measured (`tacrolimus trough level was 17.8 ng/mL`): the analyte is never null when the
  text names one.
Words live in patterns/vocab/lab_context.json.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from casex.gated_regex import gated

_RANGE = re.compile(r"\d\s?(?:[-–]|to)\s?\d")
RESPECTIVELY = gated(r"\brespectively\b", re.I)
_CLAUSE_END = re.compile(r"[.;!?](?:\s|$)|\n")
_BOUND_IN_BRACKETS = re.compile(r"\s*[(\[]\s*(?:[<>≤≥]=?|below|under|up to|less than|above)\s*")
_PAST = re.compile(r"\b(?:was|were|had|did)\b", re.I)


class LabContext:
    def __init__(self, words: dict) -> None:
        reference = _alternation(words["reference"])
        self.reference_re = re.compile(
            rf"^\s*(?:,?\s*respectively,?\s*)?\)?\s*[(\[]\s*(?:(?:{reference})\b[^)\]\d<>≤≥]*?)?[:,=]?\s*"
            r"(?:[<>≤≥]=?|below|under|up to|less than|more than|above)?\s*$",
            re.I,
        )
        self.cue_re = re.compile(rf"[(\[]\s*(?:{reference})\b", re.I)
        comparator = (
            r"(?:above|below|over|under|exceeding|between|at\s+least|more\s+than|less\s+than"
            r"|greater\s+than|between\s+\S+\s+and)"
        )
        targets = _alternation(words["target_words"])
        self.target_re = re.compile(  # `to keep it above 150`, `below the target of 15-20`
            rf"\b(?:{targets})\b[^.;:]{{0,50}}?(?:{comparator}|[<>≤≥]=?)\s*$"
            rf"|\b(?:{targets})(?:\s+[A-Za-z][\w-]*){{0,2}}?(?:\s+(?:range|level|trough|value))?"
            r"\s*(?:of|:|=|was|is)?\s*$",
            re.I,
        )
        self.threshold_re = re.compile(rf"\b{comparator}\s*$", re.I)
        self.generic_re = re.compile(rf"\b(?:{_alternation(words['generic_cues'])})\b", re.I)
        self.not_labs = set(words["vitals_and_settings"])
        self.vital_re = re.compile(  # `mean arterial pressure remained at 58 mmHg`
            rf"\b(?:{_alternation(words['vitals_and_settings'])})\b[^.;,\d]{{0,40}}$", re.I
        )
        self.conditional_re = re.compile(
            r"\b(?:when|if|unless|once)\b[^.;]{0,50}\b(?:is|are|exceeds?|falls?\s+below|"
            r"rises?\s+above|reaches?)\s*$",
            re.I,
        )
        chain = _alternation(words["chain"])
        # `, up from`, `(ULN 1.2), up from`, or a bracket restating it: `7.3 g/dL (73 g/L)`
        self.chain_re = re.compile(
            rf"^\s*(?:\([^()]*\)[\s,;]*)?(?:[,;]?\s*(?:{chain})\s*(?:[<>≤≥]=?\s*)?|[(\[]\s*)$",
            re.I,
        )
        self.not_analytes = {w.lower() for w in words["not_analytes"]}
        self.compound_heads = set(words["compound_heads"])
        self.limit_re = re.compile(rf"\b(?:{_alternation(words['detection_limit'])})\b", re.I)
        measure = _alternation(words["measure_words"])
        states = _alternation(words["states"])
        # the analyte's word, words of how it was measured, when it was drawn (`at 1 hour`,
        # `on day 7`, `before the fourth dose`, `24 hours later`), then `was`, `of`, `:` or a
        # change (`rose to`), a state (`was low at`, `was undetectable (`) and a comparator
        self.name_re = re.compile(
            rf"(?<![\w-])([A-Za-z][A-Za-z0-9-]{{1,24}})(?:\s+(?:{measure})){{0,3}}"
            r"(?:\s+(?:(?:drawn|taken)\s+)?(?:at|after|on|before)\s+(?:day\s+\d+"
            r"|(?:\d+|one|two|six|twelve)\s*(?:h|hours?|min|minutes?|days?|weeks?)"
            r"|the\s+\w+\s+(?:dose|infusion)|admission|presentation|discharge))?"
            r"(?:\s+\d+\s*(?:hours?|days?|weeks?)\s+later)?\s*"
            r"(?:(?:[:=]|(?:was\s+|were\s+)?(?:measured|detected)\s+at|at"
            r"|(?:was|were|is)(?:\s+(?:still|again|now))?"
            rf"(?:\s+(?:{states})(?:\s+at|\s*\()?)?|of"
            r"|(?:had\s+)?(?:rose|risen|fell|fallen|increased|decreased"
            r"|dropped|declined|peaked|improved|normali[sz]ed)\s+(?:to|at)"
            r"(?:\s+an?\s+(?:peak|nadir|maximum|minimum|high|low)\s+of)?)\s*)?"
            r"(?:(?:below|above|under|over|less\s+than|greater\s+than|more\s+than)\s*)?"
            r"(?:[<>≤≥]=?\s*)?$",
            re.I,
        )

    def is_reference(self, text: str, previous_end: int, start: int, end: int) -> bool:
        """Whether the value at [start, end) is a reference range after the value ending at
        `previous_end`."""
        between = text[previous_end:start]
        if not self.reference_re.match(between):
            return False
        return bool(
            self.cue_re.search(between)
            or _RANGE.search(text[start:end])
            or _BOUND_IN_BRACKETS.fullmatch(between)  # `18.4 IU/L (<1.75 IU/L)`
        )

    def is_vital(self, text: str, start: int) -> bool:
        """Whether a vital sign or a ventilator setting is named right before `start`."""
        return bool(self.vital_re.search(text, max(0, start - 60), start))

    def is_threshold(self, text: str, start: int) -> bool:
        """Whether the value at `start` is a target (`to keep fibrinogen above 150 mg/dL`), a
        condition (`when creatinine clearance is 30-60 mL/min`) or a threshold stated in
        general (`a Ki-67 index above 50% supports a high-grade tumour`), not a measurement."""
        clause = text[_clause_start(text, start) : start]
        near = clause[-100:]  # every pattern but the sentence's cue ends within this reach
        if self.target_re.search(near) or self.conditional_re.search(near):
            return True
        if not self.threshold_re.search(near):
            return False
        end = _CLAUSE_END.search(text, start)
        sentence = clause + text[start : end.start() if end else len(text)]
        return bool(self.generic_re.search(sentence)) and not _PAST.search(sentence)

    def is_detection_limit(self, words_before: str) -> bool:
        """Whether the words before a number make it an assay's sensitivity (spec section 9)."""
        return bool(self.limit_re.search(words_before))

    def is_chained(self, text: str, previous_end: int, start: int) -> bool:
        return bool(self.chain_re.match(text[previous_end:start]))

    def respectively(self, text: str, values: list, analyte_spans: list) -> list[tuple]:
        """(value, analyte name) pairs of each list of analytes and list of values in `text`
        (values and analyte spans in text order): `A, B and C were x, y and z, respectively`,
        or without `respectively` where the values follow the list's `were` directly
        (`C3 and C4 were 48 mg/dL (normal ...) and 5 mg/dL`). The names are casex's table's
        where it knows them, else as written."""
        pairs = []
        value_starts = [v.start for v in values]
        analyte_starts = [span[0] for span in analyte_spans]
        for listed, clause_start in self._value_lists(text, values, value_starts):
            # the names stand after the clause's earlier values (`M-protein 4.1 g/dL, and kappa
            # and lambda free light chains were 1,280 and 9.6 mg/L, respectively`)
            index = bisect_left(value_starts, listed[0].start)
            if index and values[index - 1].end > clause_start:
                clause_start = values[index - 1].end
            named = analyte_spans[
                bisect_left(analyte_starts, clause_start) : bisect_left(
                    analyte_starts, listed[0].start
                )
            ]
            if len(named) == len(listed):
                pairs += [(value, span[2].canonical) for value, span in zip(listed, named)]
            elif names := _listed_names(text[clause_start : listed[0].start], len(listed)):
                pairs += list(zip(listed, names))
        return pairs

    def _value_lists(self, text: str, values: list, value_starts: list):
        """(values, clause start) of each list that a `respectively` ends, and of each list of
        values right after `were` that runs on to its clause's end."""
        for match in RESPECTIVELY.finditer(text):
            clause_start = _clause_start(text, match.start())
            listed = values[
                bisect_left(value_starts, clause_start) : bisect_left(value_starts, match.start())
            ]
            if len(listed) >= 2:
                yield listed, clause_start
        for index, value in enumerate(values):
            if not _WERE.search(text, max(0, value.start - 8), value.start):
                continue
            listed = [value]
            for following in values[index + 1 :]:
                if not _LIST_GAP.match(text, listed[-1].end, following.start):
                    break
                listed.append(following)
            if len(listed) >= 2:
                yield listed, _clause_start(text, value.start)

    def continues(self, text: str, previous, value) -> bool:
        """Whether `value` goes on about the analyte of `previous`, the value before it: in
        the same sentence, in the same unit, no other analyte named between (`creatinine
        peaked at 3.4 mg/dL and returned to 1.2 mg/dL`, `lactate 6.8 mmol/L ... fell to 1.8
        mmol/L`)."""
        unit = value.normalized["unit"]
        return (
            unit is not None
            and unit == previous.normalized["unit"]
            and value.start - previous.end < 200
            and not _SENTENCE_END.search(text, previous.end, value.start)
        )

    def named_analyte(self, text: str, start: int) -> tuple[str, int, int] | None:
        """The word right before a value, when it can name an analyte: (name in lower case,
        start and end of the word)."""
        match = self.name_re.search(text, max(0, start - 80), start)
        if not match:
            return None
        word = match.group(1)
        if word.lower() in self.not_analytes or not re.search(r"[a-z]", word, re.I):
            return None
        if word.islower() and word.endswith(("ed", "ing")):  # a verb: `contained`, `giving`
            return None
        if _WHEN.fullmatch(word):  # `a week-14 trough of 3.2 µg/mL`: when, not what
            return None
        named = word.lower(), match.start(1), match.end(1)
        if _ANTIBODIES_TO.search(text, max(0, match.start(1) - 30), match.start(1)):
            named = (f"anti-{word.lower()} antibodies", *named[1:])  # not the drug's level
        if word.lower() in self.compound_heads:  # `CMV DNA`, `HIV viral load`
            before = _WORDS_BEFORE.search(text, max(0, match.start(1) - 40), match.start(1))
            words = before.group().lower().split() if before else []
            words = [w for w in words if w not in self.not_analytes][-2:]
            named = (" ".join(words + [word.lower()]), *named[1:]) if words else None
        return named


_ANTIBODIES_TO = re.compile(r"\bantibod(?:y|ies)\s+(?:to|against)\s+$", re.I)
_WHEN = re.compile(r"(?:day|week|month|year|cycle|hour)-?\d+", re.I)
_WORDS_BEFORE = re.compile(r"(?:[A-Za-z][\w-]*\s+){1,2}$")
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n")
_WERE = re.compile(r"\swere\s+$")
# between two values of one list: a comma or `and`, perhaps after a bracket (a reference range)
_LIST_GAP = re.compile(r"\s*(?:\([^()]*\))?\s*(?:,\s*(?:and\s+)?|and\s+)$")
_LIST_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
_MEASURED_OF = re.compile(r"^.*\b(?:levels?|concentrations?|troughs?)\s+of\s+")
_DETERMINER = re.compile(r"^(?:the|her|his|their|its)\s+")
_COPULA_END = re.compile(r"\s*(?:were|are|was|of|:)?\s*$")


def _clause_start(text: str, position: int) -> int:
    window = max(0, position - 600)
    ends = [m.end() for m in _CLAUSE_END.finditer(text, window, position)]
    return ends[-1] if ends else window


def _listed_names(before: str, count: int) -> list[str] | None:
    """The last `count` names of a list (`potassium, phosphate and uric acid were`), in lower
    case, or None when the words before the values are no such list."""
    items = _LIST_SPLIT.split(_COPULA_END.sub("", before))
    if len(items) < count or " and " not in f" {before} ":
        return None
    names = [_DETERMINER.sub("", item.strip().lower()) for item in items[-count:]]
    names[0] = _MEASURED_OF.sub("", names[0])  # `trough levels of A and B were x and y`
    head = names[-1].split(" ", 1)
    if len(head) == 2 and all(" " not in name for name in names[:-1]):
        # `kappa and lambda free light chains`: the earlier names share the last one's head
        names = [f"{name} {head[1]}" for name in names[:-1]] + names[-1:]
    if not all(re.fullmatch(r"[a-z][\w-]*(?: [\w-]+){0,3}", name) for name in names):
        return None
    return names


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
