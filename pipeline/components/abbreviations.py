"""Component: abbreviations the text defines, by scispaCy's detector (Schwartz & Hearst 2003).

scispaCy finds parenthesised spans with a Matcher pattern `( + )`, which follows every open
bracket to every later close bracket: on long documents that is 15% of casex's time. Here
each `(` is paired with the next `)` within scispaCy's limit of 8 tokens (found on a token
array), and scispaCy's own filters and definition search do the rest. scispaCy then finds
every use of a short form by adding a pattern per document to a spaCy Matcher (each pattern
validated by pydantic, then matched over every token): here the same exact token sequences
are looked up in the Doc's ORTH array.
"""

from collections import defaultdict

import numpy
from scispacy.abbreviation import AbbreviationDetector, filter_matches, find_abbreviation
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span

MAX_INSIDE = 8  # tokens inside the brackets; scispaCy's filter_matches ignores longer spans


@Language.factory("casex_abbreviations")
def create_abbreviations(nlp: Language, name: str):
    AbbreviationDetector(nlp, name=name)  # registers `doc._.abbreviations`, `span._.long_form`
    return Abbreviations()


class Abbreviations:
    def __call__(self, doc: Doc) -> Doc:
        for long_form, short_forms in definitions(filter_matches(bracketed(doc), doc), doc):
            for short in short_forms:
                short._.long_form = long_form
                doc._.abbreviations.append(short)
        return doc


def definitions(filtered: list[tuple[Span, Span]], doc: Doc) -> list[tuple[Span, set[Span]]]:
    """scispaCy's `find_matches_for`: each long form with the short form it defines (the first
    definition of a long or short text only) and every other occurrence of that short form's
    tokens in the Doc."""
    occurrences: dict[Span, set[Span]] = defaultdict(set)
    seen_long: set[str] = set()
    seen_short: set[str] = set()
    rules: list[tuple[Span, tuple[int, ...]]] = []
    for long_candidate, short_candidate in filtered:
        short, long = find_abbreviation(long_candidate, short_candidate)
        if long is None or long.text in seen_long or short.text in seen_short:
            continue
        seen_long.add(long.text)
        seen_short.add(short.text)
        occurrences[long].add(short)
        rules.append((long, tuple(token.orth for token in short)))
    if rules:
        orths = doc.to_array(ORTH).tolist()
        firsts = {sequence[0] for _, sequence in rules}
        starts: dict[int, list[int]] = defaultdict(list)
        for position, orth in enumerate(orths):
            if orth in firsts:
                starts[orth].append(position)
        for long, sequence in rules:
            size = len(sequence)
            for start in starts[sequence[0]]:
                if tuple(orths[start : start + size]) == sequence:
                    occurrences[long].add(doc[start : start + size])
    return list(occurrences.items())


def bracketed(doc: Doc) -> list[tuple[int, int, int]]:
    """(0, start, end) for the tokens inside each `( ... )` pair without nested brackets;
    in `(BV; Adcetris)` or `(BV, Adcetris)` only the part before the separator."""
    orths = doc.to_array(ORTH)
    opening = numpy.flatnonzero(orths == doc.vocab.strings["("])
    closing = numpy.flatnonzero(orths == doc.vocab.strings[")"])
    separators = numpy.flatnonzero(
        (orths == doc.vocab.strings[";"]) | (orths == doc.vocab.strings[","])
    )
    # for each `(` (in order, all at once): the next `)`, `(` and separator after it
    starts = opening[numpy.searchsorted(closing, opening) < len(closing)]
    ends = closing[numpy.searchsorted(closing, starts)]
    beyond = numpy.array([len(orths)])
    next_open = numpy.concatenate((opening, beyond))[numpy.searchsorted(opening, starts, "right")]
    next_separator = numpy.concatenate((separators, beyond))[
        numpy.searchsorted(separators, starts, "right")
    ]
    nested = next_open < ends
    # a one-token short form before `;` or `,`
    ends = numpy.where(
        (next_separator < ends) & (next_separator - starts == 2), next_separator, ends
    )
    inside = ends - starts - 1
    kept = ~nested & (inside > 0) & (inside <= MAX_INSIDE)
    return [(0, start + 1, end) for start, end in zip(starts[kept].tolist(), ends[kept].tolist())]
