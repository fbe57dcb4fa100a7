"""Component: immunophenotype mentions from the marker grammar."""

from spacy.language import Language
from spacy.tokens import Doc

from casex.components.immunophenotype import MarkerGrammar
from casex.components.spans import add_candidate, load_json
from casex.extensions import doc_text, register


@Language.factory("casex_phenotypes", default_config={"markers": "vocab/markers.json"})
def create_phenotypes(nlp: Language, name: str, markers: str):
    return PhenotypeFinder(MarkerGrammar(load_json(markers)))


class PhenotypeFinder:
    def __init__(self, grammar: MarkerGrammar) -> None:
        register()
        self.grammar = grammar

    def __call__(self, doc: Doc) -> Doc:
        for p in self.grammar.find(doc_text(doc)):
            add_candidate(
                doc,
                p.start,
                p.end,
                "IMMUNOPHENOTYPE",
                {"marker": p.marker, "expression": p.expression, "intensity": p.intensity},
            )
        return doc
