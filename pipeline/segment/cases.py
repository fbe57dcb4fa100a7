"""Patients of a report: which text is about which case, with age, sex and diagnosis.

Text about one patient: a `Case 1` section, a sentence opening "Case 2, a 67 years old
man" (to the end of its paragraph), a figure legend naming "Case 1", a parenthesis opening
"(Case 1 ...)". A report without numbered cases has one patient, `case-1`, whose text is the
case presentation sections and the figure legends.
"""

import re
from bisect import bisect_left, bisect_right

from spacy.language import Language
from spacy.tokens import Doc

from casex.components.spans import load_json
from casex.extensions import doc_text, register, sentence_offsets

CASE_CATEGORIES = {"case"}
_NUMBER = re.compile(r"(?:case|patient)\s*(?:#|no\.?\s*)?(\d+)", re.I)
# "Case 2, a 67 years old man", "2.1 Case 1. A 24-year-old woman", "Case 2 A 71-year-old man"
_CASE_SENTENCE = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=\n))(?:\d+(?:\.\d+)*\.?\s+)?(?:Case|Patient)\s?(\d+)"
    r"(?:\s*[,:(.]|\s+(?=[A-Z])|\s+(?!and\b|or\b)(?=[a-z]))",
    re.M,
)
_CASE_PAREN = re.compile(r"\((?:Case|Patient)\s?(\d+)\b[^)]*\)")
_AGE_SEX = re.compile(
    r"(\d{1,3})[\s-]*(?:years?|yrs?|y)[\s-]*old\s+(?:\w+\s+){0,2}?"
    r"(woman|man|female|male|girl|boy|lady|gentleman)\b",
    re.I,
)
# an age without a sex word (`A 52-year-old farmer`): the sex is then the pronouns'
_AGE = re.compile(r"\b(\d{1,3})[\s-]*(?:years?|yrs?)[\s-]*old\b", re.I)
# a child under two told by days, weeks or months, or a baby without an age (`A male infant`)
_YOUNG = re.compile(
    r"\b(\d{1,2})[\s-]*(days?|weeks?|months?)[\s-]*old\b"
    r"|\b(?:an?|the)\s+(?:[\w-]+\s+){0,3}?(?:infant|neonate|newborn|baby)\b",
    re.I,
)
_PRONOUNS = {
    "female": re.compile(r"\b(?:she|her|hers|herself)\b", re.I),
    "male": re.compile(r"\b(?:he|him|his|himself)\b", re.I),
}
_CASE_MENTION = re.compile(r"\b(?:Case|Patient)\s?(\d+)\b")
_THE_PATIENT = re.compile(
    r"\b(?:our|this|the present) (?:patient|case|man|woman|boy|girl|child|infant)\b"
    r"|\bwe (?:report|describe|present) (?:a|an|the) (?:[\w-]+ ){0,3}?"
    r"(?:patient|man|woman|boy|girl|child|infant|case)\b",
    re.I,
)
# a narrative told in the past: a sentence in the present without the patient in it is about
# no single patient (`Amiodarone inhibits CYP2C9, ...`)
_PAST = re.compile(r"\b(?:was|were|had|did|has been|have been)\b", re.I)
_PRESENT = re.compile(
    r"\b(?:is|are|has|have|can|may|might|should|must|will|does|do|remains|occurs|appears|seems|"
    r"requires|predicts|inhibits|reduces|increases|causes|develops|includes?|involves)\b",
    re.I,
)
_VALUE_CHANGE = re.compile(r"\bfrom\s+\d[\d.,]*\s*\S{0,12}\s+to\s+\d", re.I)
_CLAUSE = re.compile(r"(?:[^;(]|\([^)]*\)?)+;?")  # a bracket (`t(4;14)`) splits none
_PAST_VERB = re.compile(r"\b[a-z]{3,}ed\b")  # `produced`, `achieved`: past where no present is
_HIS_OR_HER = re.compile(r"\b(?:he|she|his|her|him)\b", re.I)
_PATIENT_WORDS = re.compile(r"\b(?:he|she|his|her|him|patient|our|we|us)\b", re.I)
# a sentence about several patients (not `two cycles`, `all doses`)
_SEVERAL = re.compile(
    r"\b(?:both|all|two|three|four|five|several|many|these|other)\s+(?:of\s+(?:the|our|these)\s+)?"
    r"(?:patients|cases|children|adults|men|women|subjects|individuals)\b"
    r"|\b(?:both|neither|none|each)\s+of\s+them\b|\bboth\s+patients?\b|\bpatients\b|\bcases\b",
    re.I,
)
# a sentence about no single patient: the literature, a population, a disease in general
# (not `coagulation studies`, `a trial of steroids`, `she reported headache`)
_GENERAL = re.compile(
    r"\b(?:patients|cases|literature|reports|guidelines|incidence|prevalence|rare|commonly|"
    r"typically|usually|is characterized|are characterized)\b"
    r"|\b(?:studies|trials?)\s+(?:have|has|had|show|showed|shown|suggest|suggested|report|"
    r"reported|found|demonstrated|indicate)\b"
    r"|\b(?:in|from|of|by)\s+(?:a|the|several|previous|prior|recent|large|other|many|"
    r"randomi[sz]ed|clinical|prospective|retrospective)\s+(?:\w+\s+)?(?:study|studies|trials?)\b"
    r"|\b(?:has|have|had|been|were|was|is|are|widely|previously|first|rarely)\s+reported\b"
    r"|\breported\s+(?:cases?|patients?|series|in|by|to)\b",
    re.I,
)
NARRATIVE_CATEGORIES = {"body", "abstract"}  # text without a case heading
_SEX = {
    "woman": "female",
    "female": "female",
    "girl": "female",
    "lady": "female",
    "man": "male",
    "male": "male",
    "boy": "male",
    "gentleman": "male",
}


@Language.factory("casex_cases", default_config={"diagnoses": "vocab/diagnoses.json"})
def create_cases(nlp: Language, name: str, diagnoses: str):
    return CaseFinder(load_json(diagnoses))


class CaseFinder:
    """Sets `doc._.casex_case_ranges` and `doc._.casex_cases`."""

    def __init__(self, diagnoses: dict) -> None:
        register()
        forms = sorted(
            (f for d in diagnoses["diagnoses"] for f in d["forms"]), key=len, reverse=True
        )
        self.canonical = {f.lower(): d["name"] for d in diagnoses["diagnoses"] for f in d["forms"]}
        self.diagnosis_re = re.compile(
            r"(?<![A-Za-z0-9-])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![A-Za-z0-9-])",
            re.I,
        )

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        sentences = sentence_offsets(doc)
        ranges = case_ranges(text, doc._.casex_sections or [], sentences)
        doc._.casex_case_ranges = ranges
        doc._.casex_cases = [
            self._describe(text, case_id, ranges) for case_id in _ordered_ids(ranges)
        ]
        return doc

    def _describe(self, text: str, case_id: str, ranges: list) -> dict:
        own = " ".join(text[s:e] for s, e, c in ranges if c == case_id)
        age_sex = _AGE_SEX.search(own)
        age = age_sex or _AGE.search(own)
        diagnosis = self.diagnosis_re.search(own)
        return {
            "case_id": case_id,
            "age": int(age.group(1)) if age else _young_age(own),
            "sex": _SEX[age_sex.group(2).lower()]
            if age_sex
            else _baby_sex(own) or _pronoun_sex(own),
            "diagnosis": self.canonical[diagnosis.group().lower()] if diagnosis else None,
        }


def case_ranges(
    text: str, sections: list[dict], sentences: list[tuple[int, int]]
) -> list[tuple[int, int, str]]:
    """(start, end, case_id) for text about one patient; later ranges are more specific."""
    ranges: list[tuple[int, int, str]] = []
    counted = [s for s in sections if not s["skipped"]]
    numbered = False
    for section in counted:
        number = _NUMBER.match(section["title"]) if section["category"] == "case_n" else None
        if number:
            ranges.append((section["start"], section["end"], f"case-{int(number.group(1))}"))
            numbered = True
    for section in counted:
        if section["category"] in ("case", "figure", "abstract", "body", "case_n"):
            body = text[section["start"] : section["end"]]
            for match in _CASE_SENTENCE.finditer(body):
                start = section["start"] + match.start()
                end = _paragraph_end(text, start, section["end"])
                ranges.append((start, end, f"case-{int(match.group(1))}"))
                numbered = True
        if section["category"] == "figure":
            legend = _NUMBER.search(
                text[section["start"] : min(section["end"], section["start"] + 300)]
            )
            if legend and "case" in legend.group().lower():
                ranges.append((section["start"], section["end"], f"case-{int(legend.group(1))}"))
                numbered = True
    narrative = False
    if not numbered:
        ranges = [
            (s["start"], s["end"], "case-1")
            for s in counted
            if s["category"] in CASE_CATEGORIES | {"figure"}
        ]
        # spec section 5: text without a case heading that describes one patient is that
        # patient's case presentation (but for sentences about no single patient)
        narrative = not any(s["category"] in CASE_CATEGORIES for s in counted) and any(
            _AGE.search(text[s["start"] : s["end"]]) or _YOUNG.search(text[s["start"] : s["end"]])
            for s in counted
            if s["category"] in NARRATIVE_CATEGORIES
        )
    ranges += _sentence_ranges(text, counted, sentences, ranges, numbered, narrative)
    for match in _CASE_PAREN.finditer(text):
        ranges.append((match.start(), match.end(), f"case-{int(match.group(1))}"))
    return ranges


def _sentence_ranges(
    text: str,
    sections: list[dict],
    sentences: list[tuple[int, int]],
    ranges: list,
    numbered: bool,
    narrative: bool,
) -> list[tuple[int, int, str]]:
    """Sentences outside the case text about one patient: "considered for Case 2" in a report
    of several, "in our patient" or "A 45-year-old man ..." in a report of one, and in a
    one-patient narrative without headings every sentence not about patients in general."""
    found = []
    content = [(s["start"], s["end"]) for s in sections if s["category"] not in ("title", "front")]
    told = [(s["start"], s["end"]) for s in sections if s["category"] in NARRATIVE_CATEGORIES]
    concluded = [(s["start"], s["end"]) for s in sections if s["category"] == "conclusion"]
    cases = CaseIndex(ranges)
    told_sentences = [text[s:e] for s, e in sentences if _inside(told, s)]
    in_past = 2 * sum(bool(_PAST.search(t)) for t in told_sentences) >= len(told_sentences)
    for start, end in sentences:
        if not _inside(content, start) or cases.at(start):
            continue
        sentence = text[start:end]
        if _SEVERAL.search(sentence):
            continue
        if numbered:
            mentions = list(_CASE_MENTION.finditer(sentence))
            numbers = {int(m.group(1)) for m in mentions}
            if len(numbers) == 1 and not _GENERAL.search(sentence):  # `as in Case 1` of a study
                found.append((start, end, f"case-{numbers.pop()}"))
            elif len(numbers) > 1:  # `Case 1's M-protein fell ... and Case 2's creatinine ...`
                for mention, following in zip(mentions, mentions[1:] + [None]):
                    stop = end if following is None else start + following.start()
                    found.append((start + mention.start(), stop, f"case-{mention.group(1)}"))
        elif _names_the_patient(sentence):
            # in a report of one patient, `his` and `her` are that patient's; a clause after
            # `;` stands on its own (`guidelines suggest X; our patient received Y`)
            # (in a narrative without headings every clause is the patient's anyway)
            clauses = [(m.start(), m.end()) for m in _CLAUSE.finditer(sentence)]
            found += [
                (start + a, start + b, "case-1")
                for a, b in clauses
                if narrative or len(clauses) == 1 or _names_the_patient(sentence[a:b])
            ]
        elif (
            (_inside(concluded, start) or _VALUE_CHANGE.search(sentence))
            and not _GENERAL.search(sentence)
            and _in_past(sentence)
        ):  # a one-patient report's conclusion in the past, or a value's change told in the
            # past (`the fall in lactate from 6.8 to 2.4 mmol/L`), is the patient's course
            found.append((start, end, "case-1"))
        elif (
            narrative
            and _inside(told, start)
            and not _GENERAL.search(sentence)
            and not (in_past and _in_general_present(sentence))
        ):
            found.append((start, end, "case-1"))
    return found


def _names_the_patient(text: str) -> bool:
    return bool(
        _THE_PATIENT.search(text)
        or _AGE_SEX.search(text)
        or (_HIS_OR_HER.search(text) and not _GENERAL.search(text))
    )


def _in_past(sentence: str) -> bool:
    return bool(
        _PAST.search(sentence) or (_PAST_VERB.search(sentence) and not _PRESENT.search(sentence))
    )


def _in_general_present(sentence: str) -> bool:
    return bool(
        _PRESENT.search(sentence)
        and not _PAST.search(sentence)
        and not _PATIENT_WORDS.search(sentence)
    )


_BABY_SEX = re.compile(r"\b(male|female|boy|girl)\s+(?:infant|neonate|newborn|baby)\b", re.I)


def _young_age(text: str) -> int | None:
    """Age in whole years of a child told by days, weeks or months, or of a baby."""
    young = _YOUNG.search(text)
    if young is None:
        return None
    if young.group(2) and young.group(2).lower().startswith("month"):
        return int(young.group(1)) // 12
    return 0


def _baby_sex(text: str) -> str | None:
    baby = _BABY_SEX.search(text)
    return _SEX[baby.group(1).lower()] if baby else None


def _pronoun_sex(text: str) -> str | None:
    """The sex the pronouns of a patient's text give, when one kind outnumbers the other
    three to one."""
    counts = {sex: len(pattern.findall(text)) for sex, pattern in _PRONOUNS.items()}
    female, male = counts["female"], counts["male"]
    if female >= 3 * male and female:
        return "female"
    if male >= 3 * female and male:
        return "male"
    return None


def _inside(sections: list[tuple[int, int]], position: int) -> bool:
    """Whether `position` lies in one of `sections` (in text order, not overlapping)."""
    index = bisect_right(sections, position, key=lambda section: section[0]) - 1
    return index >= 0 and position < sections[index][1]


class CaseIndex:
    """The case of a position: the ranges painted in their order, a later (more specific)
    range over an earlier one; a look-up is a bisection."""

    def __init__(self, ranges: list[tuple[int, int, str]]) -> None:
        self.bounds = sorted({p for start, end, _ in ranges for p in (start, end)})
        self.cases: list[str | None] = [None] * max(len(self.bounds) - 1, 0)
        for start, end, case_id in ranges:
            first, last = bisect_left(self.bounds, start), bisect_left(self.bounds, end)
            self.cases[first:last] = [case_id] * (last - first)

    def at(self, position: int) -> str | None:
        index = bisect_right(self.bounds, position) - 1
        return self.cases[index] if 0 <= index < len(self.cases) else None


def _ordered_ids(ranges: list) -> list[str]:
    return sorted({c for _, _, c in ranges}, key=lambda c: int(c.split("-")[1]))


def _paragraph_end(text: str, start: int, limit: int) -> int:
    blank = re.compile(r"\n\s*\n").search(text, start, limit)
    return blank.start() if blank else limit
