"""Component: dose and lab value mentions from the quantity grammar."""

from spacy.language import Language
from spacy.tokens import Doc

from casex.components.quantities import QuantityGrammar
from casex.components.spans import CANDIDATES, add_candidate, load_json
from casex.extensions import doc_text, register
from casex.normalizers.analytes import AnalyteTable
from casex.normalizers.lab_context import LabContext
from casex.normalizers.mrd import MrdPredicates
from casex.normalizers.schedules import ScheduleGrammar
from casex.normalizers.units import UnitTable


@Language.factory(
    "casex_quantities",
    default_config={
        "units": "vocab/units.json",
        "analytes": "vocab/analytes.json",
        "schedules": "vocab/schedules.json",
        "routes": "vocab/routes.json",
        "context": "vocab/lab_context.json",
        "responses": "vocab/responses.json",
    },
)
def create_quantities(
    nlp: Language,
    name: str,
    units: str,
    analytes: str,
    schedules: str,
    routes: str,
    context: str,
    responses: str,
):
    grammar = QuantityGrammar(
        UnitTable(load_json(units)),
        AnalyteTable(load_json(analytes)),
        ScheduleGrammar(load_json(schedules), load_json(routes)),
        LabContext(load_json(context)),
        MrdPredicates(load_json(responses)["mrd_predicate"]),
    )
    return QuantityFinder(grammar, nlp)


class QuantityFinder:
    def __init__(self, grammar: QuantityGrammar, nlp: Language) -> None:
        register()
        self.grammar = grammar
        self.nlp = nlp

    def __call__(self, doc: Doc) -> Doc:
        drugs = [
            (span.start_char, span.end_char)
            for span in doc.spans.get(CANDIDATES, [])
            if span.label_ == "DRUG"
        ]
        lexicon = self._drug_lexicon()
        naming: set[tuple[int, int]] = set()
        for q in self.grammar.find(doc_text(doc), sorted(drugs)):
            analyte = q.normalized.get("analyte") if q.label == "LAB_VALUE" else None
            if analyte and lexicon and analyte not in self.grammar.analytes.by_name:
                # a drug's level names the drug as the lexicon does (`VPA level` is valproic acid)
                found = lexicon.lookup(analyte) or lexicon.lookup(analyte.upper())
                if found is not None:
                    q.normalized["analyte"] = found.name
            if q.named_at:
                naming.add(q.named_at)
            add_candidate(doc, q.start, q.end, q.label, q.normalized)
        if naming:  # a drug named as a value's analyte is measured, not given (spec section 9)
            doc.spans[CANDIDATES] = [
                span
                for span in doc.spans[CANDIDATES]
                if span.label_ != "DRUG" or (span.start_char, span.end_char) not in naming
            ]
        return doc

    def _drug_lexicon(self):
        return (
            self.nlp.get_pipe("casex_drugs").lexicon
            if "casex_drugs" in self.nlp.pipe_names
            else None
        )
