"""Component: abbreviations the text defines, by scispaCy's detector (Schwartz & Hearst 2003).

scispaCy finds parenthesised spans with a Matcher pattern `( + )`, which follows every open
bracket to every later close bracket: on long documents that is 15% of casex's time. Here
each `(` is paired with the next `)` within scispaCy's limit of 8 tokens (found on a token
array), and scispaCy's own filters, definition search and global matcher do the rest.
"""

import numpy
from scispacy.abbreviation import AbbreviationDetector, filter_matches
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc

from casex.components.context import QuietComponent

MAX_INSIDE = 8  # tokens inside the brackets; scispaCy's filter_matches ignores longer spans


@Language.factory("casex_abbreviations")
def create_abbreviations(nlp: Language, name: str):
    return QuietComponent(Abbreviations(AbbreviationDetector(nlp, name=name)))


class Abbreviations:
    def __init__(self, detector: AbbreviationDetector) -> None:
        self.detector = detector

    def __call__(self, doc: Doc) -> Doc:
        matches = bracketed(doc)
        for long_form, short_forms in self.detector.find_matches_for(
            filter_matches(matches, doc), doc
        ):
            for short in short_forms:
                short._.long_form = long_form
                doc._.abbreviations.append(short)
        return doc


def bracketed(doc: Doc) -> list[tuple[int, int, int]]:
    """(0, start, end) for the tokens inside each `( ... )` pair without nested brackets;
    in `(BV; Adcetris)` or `(BV, Adcetris)` only the part before the separator."""
    orths = doc.to_array(ORTH)
    opening = numpy.flatnonzero(orths == doc.vocab.strings["("])
    closing = numpy.flatnonzero(orths == doc.vocab.strings[")"])
    separators = numpy.flatnonzero(
        (orths == doc.vocab.strings[";"]) | (orths == doc.vocab.strings[","])
    )
    matches = []
    for start in opening:
        after = numpy.searchsorted(closing, start)
        if after == len(closing):
            break
        end = int(closing[after])
        following_open = numpy.searchsorted(opening, start, side="right")
        nested = following_open < len(opening) and opening[following_open] < end
        inner = separators[(separators > start) & (separators < end)]
        if len(inner) and inner[0] - start == 2:
            end = int(inner[0])  # a one-token short form before `;` or `,`
        if not nested and 0 < end - start - 1 <= MAX_INSIDE:
            matches.append((0, int(start) + 1, end))
    return matches
