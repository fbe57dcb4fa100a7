"""Component: ADVERSE_EVENT mentions: toxicities by name, and signs or disorders where the text
places them after a treatment.

Names come from casex's table (patterns/vocab/adverse_events.json: toxicities, and
complications that count only in context) and from the Human Phenotype Ontology's terms and
exact synonyms (normalizers/hpo.py), with British spellings and plurals. A toxicity
(`GVHD`, `febrile neutropenia`, `hepatotoxicity`) is an event wherever it is named. Any other
name is an event when
- it is in a patient's case after a treatment of that case was first named, outside a
  sentence about the presentation (`presented with`, `history of`, `at diagnosis`); or
- a treatment was named before it and its sentence says an event happened (`neither patient
  developed grade 4 neutropenia`); or
- its sentence, or the one before, names a treatment, and its sentence a word tying the two
  (`induced`, `after`, `grade`, `dose reduction`).
Never in a sentence about the presentation, never a named disease or a mass, and never an
anaphor (`such adverse event`, `its toxicity`); a negated anaphor (`neither of them had such
adverse event`) negates the events named before it in its sentence.
The disease itself and its course (`relapse`, `splenomegaly`) are never events. The CTCAE
grade is the `grade N` (or roman numeral) written just before or after the name.
"""

import bisect
import re

from spacy.language import Language
from spacy.tokens import Doc

from casex.cache import cached
from casex.components.spans import (
    CANDIDATES,
    TokenTrie,
    add_candidate,
    load_json,
    longest_matches,
    written_form,
)
from casex.extensions import doc_text, register, sentence_offsets
from casex.normalizers.hpo import hpo_version, phenotype_terms
from casex.segment.cases import CaseIndex
from casex.version import pipeline_version

TREATMENTS = ("DRUG", "THERAPY")
NEGATED_EVENTS = "casex_negated_events"  # doc.user_data: (start, end) of events an anaphor negates
# `neither of them had such adverse event`: the events named before it in the sentence
_NEGATED_ANAPHOR = re.compile(
    r"\b(?:neither|none|nobody|no one|not|never|no)\b[^.;]{0,40}\bsuch\s+(?:an?\s+)?"
    r"(?:adverse\s+|side\s+)?(?:events?|effects?|toxicit(?:y|ies)|complications?|reactions?)\b",
    re.I,
)
# `such adverse event`, `its toxicity`: a word pointing back, not an event named
_ANAPHOR_BEFORE = re.compile(r"\b(?:such|this|that|these|those|its|their)\s+(?:\w+\s+)?$", re.I)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5}
_GRADE = (
    r"grade\s*(?P<grade>[1-5]|iv|v|i{1,3})(?![\w])"
    r"(?:\s*(?:-|–|to|/|or)\s*(?:[1-5]|iv|v|i{1,3})(?![\w]))?"
)
_GRADE_BEFORE = re.compile(_GRADE + r"\s*(?:\w+\s+){0,2}$", re.I)
_GRADE_AFTER = re.compile(r"^\s*(?:\(\s*|,\s*|of\s+)?(?:ctcae\s+)?" + _GRADE, re.I)


@Language.factory(
    "casex_adverse_events",
    default_config={
        "events": "vocab/adverse_events.json",
        "context": "vocab/event_context.json",
        "diagnoses": "vocab/diagnoses.json",
    },
)
def create_adverse_events(nlp: Language, name: str, events: str, context: str, diagnoses: str):
    words = load_json(context)
    disease_names = {f.lower() for d in load_json(diagnoses)["diagnoses"] for f in d["forms"]}

    def build() -> tuple[dict, TokenTrie]:
        lexicon = event_lexicon(load_json(events), words)
        trie = TokenTrie()
        keys = sorted(lexicon)
        for key, doc in zip(keys, nlp.tokenizer.pipe(lexicon[key][0] for key in keys)):
            trie.add(key, [token.text for token in doc])
        return lexicon, trie

    lexicon, trie = cached("events", f"{pipeline_version()} {hpo_version()}", build)
    return EventFinder(lexicon, trie, words, disease_names)


def _end_before(text: str, position: int) -> int:
    """Where the text before `position` ends, white space left out (looked at over 20
    characters)."""
    window = text[max(0, position - 20) : position]
    return position - (len(window) - len(window.rstrip()))


def event_lexicon(table: dict, words: dict) -> dict[str, tuple[str, tuple[str, ...], str, bool]]:
    """Lower-case form -> (the form as listed; the spellings it must have, none for any case;
    preferred term; always an event). casex's table overrides HPO; each form also matches in British
    spelling and as a plural; acronyms match only as written (`spans.written_form`)."""
    spellings = [tuple(pair) for pair in words["spellings"]]
    stop = {form.lower() for form in words["hpo_stop_forms"]}
    lexicon: dict[str, tuple[str, tuple[str, ...], str, bool]] = {}

    def add(form: str, term: str, always: bool) -> None:
        for variant in _variants(form, spellings):
            key = variant.lower()
            exact = (variant,) if written_form(variant) else ()
            if key not in lexicon:
                lexicon[key] = (variant, exact, term, always)
            elif exact and lexicon[key][1] and lexicon[key][2] == term:
                lexicon[key] = (variant, lexicon[key][1] + exact, term, lexicon[key][3])

    for entry in table["toxicities"]:
        for form in entry["forms"]:
            add(form, entry["term"], True)
    for entry in table["complications"]:
        for form in entry["forms"]:
            add(form, entry["term"], False)
    for forms in phenotype_terms(set(words["hpo_excluded_roots"])).values():
        for form in forms:
            if form.lower() in stop or written_form(form):
                continue
            add(form, american(form.lower(), spellings), False)
    return lexicon


def _variants(form: str, spellings: list[tuple[str, str]]) -> list[str]:
    variants = [form]
    for us, uk in spellings:
        variants += [v.replace(us, uk) for v in list(variants) if us in v]
    if not written_form(form) and form[-1].isalpha():
        plural = (
            form[:-1] + "ies" if form.endswith("y") else form + ("" if form.endswith("s") else "s")
        )
        variants += [plural]
    return list(dict.fromkeys(variants))


def american(term: str, spellings: list[tuple[str, str]]) -> str:
    for us, uk in spellings:
        term = term.replace(uk, us)
    return term


class EventFinder:
    def __init__(self, lexicon: dict, trie: TokenTrie, words: dict, diagnoses: set[str]) -> None:
        register()
        self.lexicon, self.trie = lexicon, trie
        self.not_events = {w.lower() for w in words["not_events"] + words["disease_signs"]}
        self.not_events |= diagnoses
        self.disease_heads = {w.lower() for w in words["disease_heads"]}
        self.event_verbs = _words_re(words["event_verbs"])
        self.attribution = _words_re(words["attribution"] + ["-induced", "-related", "-associated"])
        self.presentation = _words_re(words["presentation"])

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        sentences = sentence_offsets(doc)
        sentence_starts = [start for start, _ in sentences]
        cases = CaseIndex(doc._.casex_case_ranges or [])
        candidates = list(doc.spans.get(CANDIDATES, []))  # each read makes the Spans anew
        treatments = sorted(span.start_char for span in candidates if span.label_ in TREATMENTS)
        dose_ends = {span.end_char for span in candidates if span.label_ == "DOSE"}
        first_treatment: dict[str, int] = {}
        for start in treatments:
            first_treatment.setdefault(cases.at(start), start)
        negated: set[tuple[int, int]] = set()
        doc.user_data[NEGATED_EVENTS] = negated
        for key, start, end in longest_matches(self.trie(doc)):
            span = doc[start:end]
            written = text[span.start_char : span.end_char]  # `span.text` makes Tokens
            _, spellings, term, always = self.lexicon[key]
            if spellings and written not in spellings:
                continue
            if term in self.not_events or written.lower() in self.not_events:
                continue
            if span[-1].lower_ in self.disease_heads:  # `mediastinal mass`
                continue
            if written.isupper() and _end_before(text, span.start_char) in dose_ends:
                continue  # `650 mg SOS`: as needed, not sinusoidal obstruction syndrome
            if term == "adverse event" and _ANAPHOR_BEFORE.search(
                text, max(0, span.start_char - 30), span.start_char
            ):
                continue
            index = bisect.bisect_right(sentence_starts, span.start_char) - 1
            s_start, s_end = sentences[max(index, 0)]
            previous_start = sentences[max(index - 1, 0)][0]
            if not always and not self._in_context(
                text,
                (previous_start, s_start, s_end),
                span.start_char,
                cases,
                first_treatment,
                treatments,
            ):
                continue
            grade = _grade(text[s_start : span.start_char], text[span.end_char : s_end])
            if _NEGATED_ANAPHOR.search(text, span.end_char, s_end):
                negated.add((span.start_char, span.end_char))
            add_candidate(
                doc, span.start_char, span.end_char, "ADVERSE_EVENT", {"term": term, "grade": grade}
            )
        return doc

    def _in_context(
        self,
        text: str,
        bounds: tuple[int, int, int],
        position: int,
        cases: CaseIndex,
        first_treatment: dict,
        treatments: list[int],
    ) -> bool:
        previous_start, s_start, s_end = bounds
        sentence = text[s_start:s_end]
        if self.presentation.search(sentence):
            return False
        case = cases.at(position)
        if case is not None and first_treatment.get(case, s_end) < position:
            return True
        if treatments and treatments[0] < position and self.event_verbs.search(sentence):
            return True  # `neither patient developed grade 4 neutropenia`
        lo = bisect.bisect_left(treatments, previous_start)
        treated = lo < len(treatments) and treatments[lo] < s_end
        return treated and bool(self.attribution.search(sentence))


def _grade(before: str, after: str) -> int | None:
    match = _GRADE_BEFORE.search(before[-40:]) or _GRADE_AFTER.match(after[:40])
    if match is None:
        return None
    grade = match["grade"].lower()
    return int(grade) if grade.isdigit() else _ROMAN[grade]


def _words_re(words: list[str]) -> re.Pattern:
    return re.compile(
        r"(?<![\w-])(?:"
        + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        + r")(?![\w])",
        re.I,
    )
