"""Component: drug mentions by lexicon (generic, brand, code name), INN stem and text-defined
abbreviation (scispaCy's detector: `inotuzumab ozogamicin (IO)` makes every `IO` a drug)."""

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from pipeline.components.spans import CANDIDATES, load_json, load_jsonl
from pipeline.extensions import register
from pipeline.normalizers.drugs import DrugLexicon

SHORT_FORM = 4  # names this short match only as written (MTX, ATRA), never in lower case


@Language.factory(
    "casex_drugs", default_config={"lexicon": "vocab/drugs.jsonl", "stems": "vocab/drug_stems.json"}
)
def create_drugs(nlp: Language, name: str, lexicon: str, stems: str):
    return DrugFinder(nlp, DrugLexicon(load_jsonl(lexicon), load_json(stems)))


class DrugFinder:
    def __init__(self, nlp: Language, lexicon: DrugLexicon) -> None:
        register()
        self.lexicon = lexicon
        self.lower_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        for matcher, forms in (
            (self.lower_matcher, [f for f in lexicon.forms if len(f) > SHORT_FORM]),
            (self.exact_matcher, [f for f in lexicon.forms if len(f) <= SHORT_FORM]),
        ):
            matcher.add("DRUG", list(nlp.tokenizer.pipe(forms)))

    def __call__(self, doc: Doc) -> Doc:
        found = [(doc[s:e], None) for _, s, e in self.lower_matcher(doc) + self.exact_matcher(doc)]
        found += [(span, None) for span in self._stem_spans(doc)]
        found += self._abbreviation_spans(doc, [span for span, _ in found])
        doc.spans.setdefault(CANDIDATES, [])
        for span, name in found:
            drug = Span(doc, span.start, span.end, label="DRUG")
            drug._.normalized = self.lexicon.normalize(span.text, name)
            doc.spans[CANDIDATES].append(drug)
        return doc

    def _stem_spans(self, doc: Doc) -> list[Span]:
        """Unlisted agents whose name carries an INN stem (`-mab`, `-nib`, `-platin`, ...)."""
        spans = [
            doc.char_span(s, e, alignment_mode="expand")
            for s, e in self.lexicon.stem_names(doc.text)
        ]
        return [span for span in spans if span is not None]

    def _abbreviation_spans(self, doc: Doc, drugs: list[Span]) -> list[tuple[Span, str]]:
        """Occurrences of an abbreviation whose long form the text gives as a drug."""
        found = []
        for short in doc._.abbreviations if Doc.has_extension("abbreviations") else []:
            long_form = short._.long_form
            named = [d for d in drugs if d.end == long_form.end and d.start >= long_form.start]
            if named and short.text not in self.lexicon.forms:
                found.append(
                    (doc[short.start : short.end], self.lexicon.normalize(named[0].text)["name"])
                )
        return found
