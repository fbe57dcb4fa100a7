"""Component: drug mentions by lexicon (generic, brand, code name), INN stem and text-defined
abbreviation (scispaCy's detector: `inotuzumab ozogamicin (IO)` makes every `IO` a drug)."""

import re

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from casex.components.spans import CANDIDATES, load_json, load_jsonl
from casex.extensions import doc_text, register
from casex.normalizers.drugs import DrugLexicon

SHORT_FORM = 4
# A name followed by a value is a measured analyte (`albumin 3.2 g/dL`, `ferritin was 900`).
_MEASURED = re.compile(
    r"\s*(?:level\s+|levels\s+)?(?:was\s+|of\s+|:\s*|=\s*)?\d"
)  # names this short match only as written (MTX, ATRA), never in lower case


@Language.factory(
    "casex_drugs",
    default_config={
        "lexicon": "vocab/drugs.jsonl",
        "stems": "vocab/drug_stems.json",
        "analytes": "vocab/analytes.json",
    },
)
def create_drugs(nlp: Language, name: str, lexicon: str, stems: str, analytes: str):
    analyte_names = {n.lower() for a in load_json(analytes)["analytes"] for n in a["names"]}
    return DrugFinder(nlp, DrugLexicon(load_jsonl(lexicon), load_json(stems)), analyte_names)


class DrugFinder:
    def __init__(self, nlp: Language, lexicon: DrugLexicon, analyte_names: set[str]) -> None:
        register()
        self.lexicon = lexicon
        self.analyte_names = analyte_names  # `albumin` is a drug, or a lab analyte when measured
        self.lower_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        for matcher, forms in (
            (self.lower_matcher, [f for f in lexicon.forms if len(f) > SHORT_FORM]),
            (self.exact_matcher, [f for f in lexicon.forms if len(f) <= SHORT_FORM]),
        ):
            matcher.add("DRUG", list(nlp.tokenizer.pipe(forms)))

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        found = [
            (doc[s:e], None)
            for _, s, e in self.lower_matcher(doc) + self.exact_matcher(doc)
            if not self._is_measured(text, doc[s:e])
        ]
        found += [(span, None) for span in self._stem_spans(doc)]
        found += self._abbreviation_spans(doc, [span for span, _ in found])
        doc.spans.setdefault(CANDIDATES, [])
        for span, name in found:
            drug = Span(doc, span.start, span.end, label="DRUG")
            drug._.normalized = self.lexicon.normalize(span.text, name)
            doc.spans[CANDIDATES].append(drug)
        return doc

    def _is_measured(self, text: str, span: Span) -> bool:
        return span.text.lower() in self.analyte_names and bool(
            _MEASURED.match(text, span.end_char)
        )

    def _stem_spans(self, doc: Doc) -> list[Span]:
        """Unlisted agents whose name carries an INN stem (`-mab`, `-nib`, `-platin`, ...)."""
        spans = [
            doc.char_span(s, e, alignment_mode="expand")
            for s, e in self.lexicon.stem_names(doc_text(doc))
        ]
        return [span for span in spans if span is not None]

    def _abbreviation_spans(self, doc: Doc, drugs: list[Span]) -> list[tuple[Span, str]]:
        """Occurrences of an abbreviation whose long form the text gives as a drug."""
        found = []
        ending_at: dict[int, list[Span]] = {}
        for drug in drugs:
            ending_at.setdefault(drug.end, []).append(drug)
        for short in doc._.abbreviations if Doc.has_extension("abbreviations") else []:
            long_form = short._.long_form
            named = [d for d in ending_at.get(long_form.end, []) if d.start >= long_form.start]
            if named and short.text not in self.lexicon.forms:
                found.append(
                    (doc[short.start : short.end], self.lexicon.normalize(named[0].text)["name"])
                )
        return found
