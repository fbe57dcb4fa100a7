"""Component: scispaCy's abbreviation detector (Schwartz & Hearst), run without its W036 warning."""

from scispacy.abbreviation import AbbreviationDetector
from spacy.language import Language

from pipeline.components.context import QuietComponent


@Language.factory("casex_abbreviations")
def create_abbreviations(nlp: Language, name: str):
    return QuietComponent(AbbreviationDetector(nlp, name=name))
