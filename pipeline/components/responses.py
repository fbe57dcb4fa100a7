"""Component: treatment-response mentions from token patterns (patterns/entities/responses.jsonl).

A Deauville score right after the phrase folds into the span; one right before it in the same
parenthesis (`Deauville V – Progressive Disease`) gives the score without moving the span.
"""

import re
from bisect import bisect_left

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from casex.cache import cached
from casex.components.spans import CANDIDATES, PhrasePatterns, load_json, load_jsonl
from casex.extensions import doc_text, register
from casex.normalizers.mrd import MrdPredicates
from casex.normalizers.responses import deauville_score, response_basis
from casex.version import pipeline_version

_SCORE = r"(?P<score>[1-5]|IV|V|I{1,3})"
_AFTER = re.compile(rf"\s*[(,]\s*(?:Deauville|DS)(?:\s+score)?\s*(?:of\s*)?{_SCORE}\s*\)?", re.I)
_BEFORE = re.compile(rf"(?:Deauville|DS)(?:\s+score)?\s*{_SCORE}\s*[–—:,-]\s*$", re.I)


@Language.factory(
    "casex_responses",
    default_config={"patterns": "entities/responses.jsonl", "vocab": "vocab/responses.json"},
)
def create_responses(nlp: Language, name: str, patterns: str, vocab: str):
    # the patterns spell out to some 30,000 phrases: built once, then read from the cache
    phrases = cached(
        "responses",
        f"{pipeline_version()} {patterns}",
        lambda: PhrasePatterns(load_jsonl(patterns)),
    )
    return ResponseFinder(phrases, load_json(vocab))


class ResponseFinder:
    def __init__(self, patterns: PhrasePatterns, vocab: dict) -> None:
        register()
        self.vocab = vocab
        self.patterns = patterns
        self.mrd = MrdPredicates(vocab["mrd_predicate"])

    def __call__(self, doc: Doc) -> Doc:
        matches = [
            Span(doc, start, end, label=category) for category, start, end in self.patterns(doc)
        ]
        self._contexts = {}
        for start, end, category, context in self.mrd.find(doc_text(doc)):
            span = doc.char_span(start, end, label=category, alignment_mode="expand")
            if span is not None:
                matches.append(span)
                self._contexts[(span.start, span.end)] = context
        matches = _without_other_abbreviations(doc, matches)
        doc.spans.setdefault(CANDIDATES, [])
        text = doc_text(doc)
        for match in filter_spans(matches):
            if not _ENDPOINT_AFTER.match(text, match.end_char) and not _other_sense(text, match):
                doc.spans[CANDIDATES].append(self._mention(doc, text, match))
        return doc

    def _mention(self, doc: Doc, text: str, match: Span) -> Span:
        """The RESPONSE span of a match, with its Deauville score folded in."""
        category, end, deauville = match.label_, match.end, None
        after = _AFTER.match(text, match.end_char)
        before = _BEFORE.search(text, max(0, match.start_char - 30), match.start_char)
        if after:
            folded = doc.char_span(match.start_char, after.end(), alignment_mode="contract")
            if folded is not None and folded.end > match.end:
                end, deauville = folded.end, deauville_score(after.group("score"))
        elif before:
            deauville = deauville_score(before.group("score"))
        mention = Span(doc, match.start, end, label="RESPONSE")
        words = self._contexts.get((match.start, match.end), match.text)
        method = _METHOD_AFTER.match(text, match.end_char)
        if method and category.startswith("MRD"):  # `MRD-negative by flow cytometry`
            words += " " + method.group()
        mention._.normalized = {
            "category": category,
            "deauville": deauville,
            "basis": response_basis(words, category, deauville, self.vocab),
        }
        return mention


# `progression-free survival`, `relapse-free`: a trial endpoint, not a response
_ENDPOINT_AFTER = re.compile(r"-free\b", re.I)
# an acronym followed by these words is a protein or a test (`MMR proteins`, `PR status`)
_PROTEIN_AFTER = re.compile(
    r"[\s-]+(?:proteins?|status|expression|staining|genes?|deficien\w*|proficien\w*"
    r"|immunohisto\w*|IHC|testing|repair|receptors?|positive|negative|positivity|negativity)\b",
    re.I,
)
_PROTEIN_BEFORE = re.compile(r"\b(?:deficient|proficient|retained|intact|loss\s+of)\s+$", re.I)


def _other_sense(text: str, match: Span) -> bool:
    """An upper-case acronym (not MRD) that names a protein or a test by the words around it
    (`MMR proteins`, `PR status`, `deficient MMR`)."""
    word = match.text
    return (
        len(word) <= 4
        and word.isupper()
        and not word.startswith("MRD")
        and bool(
            _PROTEIN_AFTER.match(text, match.end_char)
            or _PROTEIN_BEFORE.search(text, max(0, match.start_char - 20), match.start_char)
        )
    )


# the method an MRD status was assessed by, after it
_METHOD_AFTER = re.compile(
    r"\s*(?:\([^()]{0,20}\)\s*)?(?:by|on|using|via)\s+(?:[\w-]+\s+){0,2}[\w-]+"
)


def _without_other_abbreviations(doc: Doc, matches: list[Span]) -> list[Span]:
    """Drop `PD`, `PR`, `CR` where the text defines them as something else: `Parkinson's
    disease (PD)`, `progesterone receptor (PR)` (scispaCy's abbreviation detector)."""
    if not Doc.has_extension("abbreviations"):
        return matches
    spans = sorted((m.start, m.end) for m in matches)
    starts = [start for start, _ in spans]
    other = set()
    for short in doc._.abbreviations:
        long_form = short._.long_form
        inside = spans[bisect_left(starts, long_form.start) : bisect_left(starts, long_form.end)]
        if not any(end <= long_form.end for _, end in inside):
            other.add(short.text)
    return [m for m in matches if m.text not in other]
