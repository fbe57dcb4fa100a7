"""Component: drug mentions by lexicon (casex's list, drug-named-entity-recognition's ~100,000
names, casex's abbreviation table), INN stem, and text-defined abbreviation (scispaCy's
detector: `inotuzumab ozogamicin (IO)` makes every `IO` a drug).

The names are tokenized once into a token trie (a hash look-up per token), kept in casex's
private cache keyed by casex's version digest and the lexicon's version: building it takes a
few seconds, loading it a fraction of one.
"""

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from casex.cache import cached
from casex.components.spans import CANDIDATES, TokenTrie, load_json, load_jsonl
from casex.extensions import doc_text, register
from casex.gated_regex import gated
from casex.normalizers.drug_library import library_entries, library_version
from casex.normalizers.drugs import DrugLexicon
from casex.version import pipeline_version

# A name followed by a value is a measured analyte (`albumin 3.2 g/dL`, `ferritin was 900`).
_MEASURED = re.compile(r"\s*(?:level\s+|levels\s+)?(?:was\s+|of\s+|:\s*|=\s*)?\d")
# A name inside a lab test, a susceptibility result or a tracer is not an agent given.
_TEST_AFTER = re.compile(
    r"[\s-]*(?:[a-z]+[\s-]+)?(?:levels?|concentrations?|assay|activity|troughs?)\b"
    # an organism named by its resistance: `methicillin-resistant Staphylococcus aureus`
    r"|-resistant\s+(?:[A-Z][a-z]+|[A-Z]\.)\s+[a-z]+"
    # the body's own substance: `insulin deficiency`, `vitamin K-dependent factors`
    r"|[\s-]+(?:deficiency|deficient|resistance|secretion|production|dependent)\b",
    re.I,
)
# a susceptibility result: `sensitive to A, B and C (ABC)`; `resistant to` only in a
# sentence about a microbe (`resistant to imatinib` names a drug given)
_LISTED = r"(?:[\w-]+(?:\s*\([\w-]+\))?(?:,\s*|\s+(?:and|or)\s+))*(?:[\w-]+\s*\()?"
_SUSCEPTIBLE_BEFORE = re.compile(
    r"\b(?:sensitive|susceptible)\s+to\s+(?:[^.;]{0,80}?\bresistant\s+to\s+)?" + _LISTED + "$",
    re.I,
)
_SAMPLE_BEFORE = re.compile(
    r"(?:\b(?:serum|plasma|urinary|urine|trough)\s+|\d+m?Tc-?"
    # `antibodies to infliximab`, `trough levels of levetiracetam and lacosamide`
    r"|\bantibod(?:y|ies)\s+(?:to|against)\s+|\banti-[\w-]+/"  # `anti-PF4/heparin antibodies`
    r"|\b(?:levels?|concentrations?|troughs?)\s+of\s+(?:[\w-]+(?:,\s*|\s+and\s+))*)$",
    re.I,
)
_RESISTANT_BEFORE = re.compile(
    r"\b(?:isolates?|strains?|organisms?|cultures?|grew|bacteri\w*|\w+cocc\w*|\w+bacter\w*"
    r"|aureus|coli|MRSA|VRE|ESBL|pseudomonas|klebsiella|fungal|yeast)\b[^.;]{0,80}?"
    r"\bresistant\s+to\s+" + _LISTED + r"$",
    re.I,
)
AGENT_JOINERS = {"-", "/", "–"}  # agents of one combination: `TMP-SMX`, `lopinavir/ritonavir`
# a drug's level: the name, then a value in a unit of concentration
_LEVEL_AFTER = re.compile(
    r"\s*(?:(?:level|levels|concentration|trough)\s+(?:was\s+|were\s+|of\s+)?"
    r"|(?:was\s+)?measured\s+at\s+|:\s*|=\s*)?[<>]?\s?\d+(?:[.,]\d+)?\s?"
    r"(?:mg/[lL]|[µμu]g/m[lL]|mcg/m[lL]|ng/m[lL]|[mµμun]mol/[lL])(?![\w/])"
)
_AMOUNT = r"\d+(?:[.,]\d+)?(?:\s?[-–]\s?\d+(?:[.,]\d+)?)?\s?(?:g|mg|mL|ml|L|mmol)(?:/kg)?(?![/\w])"


def _is_brand(text: str, span: Span, normalized: dict) -> bool:
    """A name the lexicon lists without saying it is a brand, written as one: one capitalised
    word, not an acronym, not the generic, and not at a sentence's start (`(Lokelma)`)."""
    word = text[span.start_char : span.end_char]  # `span.text` makes a Token for each word
    return bool(
        re.fullmatch(r"[A-Z][a-z]+(?:-?[A-Z]?[a-z]+)*", word)
        and word.lower() != normalized["name"]
        and not re.search(
            r"(?:^|[.!?:]\s+|\n\s*)$", text[max(0, span.start_char - 3) : span.start_char]
        )
    )


# a brand in brackets: one capitalised word, hyphens allowed (`(Nepresol)`, `(EchiTAb-Plus-ICP)`)
_BRAND_AFTER = re.compile(r"\s*\(\s*([A-Z][a-z][A-Za-z-]{2,23})\s*\)")
_TRACER = re.compile(r"\d+m?Tc\b|\d+m?Tc-|technetium|\b(?:18F|F-18|fluorine-18)|\bFDG\b", re.I)


@Language.factory(
    "casex_drugs",
    default_config={
        "lexicon": "vocab/drugs.jsonl",
        "stems": "vocab/drug_stems.json",
        "library": "vocab/drug_lexicon.json",
        "analytes": "vocab/analytes.json",
        "mesh": "vocab/drug_mesh.json",
    },
)
def create_drugs(
    nlp: Language, name: str, lexicon: str, stems: str, library: str, analytes: str, mesh: str
):
    analyte_names = {n.lower() for a in load_json(analytes)["analytes"] for n in a["names"]}

    def build() -> tuple[DrugLexicon, TokenTrie]:
        rules = load_json(library)
        names = library_entries(
            set(rules["exclude"]),
            analyte_names,
            set(rules["salts"]),
            set(rules["organism_genera"]),
            set(rules["mineral_salts"]),
        )
        drugs = DrugLexicon(
            load_jsonl(lexicon), load_json(stems), rules["abbreviations"], names, rules["inn"]
        )
        drugs.add_mesh(load_json(mesh)["descriptors"], set(rules["salts"]))
        trie = TokenTrie()
        forms = drugs.forms()
        for form, doc in zip(forms, nlp.tokenizer.pipe(forms)):
            trie.add(form, [token.text for token in doc])
        return drugs, trie

    key = f"{pipeline_version()} {library_version()}"
    drugs, trie = cached("drugs", key, build)
    rules = load_json(library)
    return DrugFinder(drugs, trie, analyte_names, rules["dose_context_only"], rules["makers"])


class DrugFinder:
    def __init__(
        self,
        lexicon: DrugLexicon,
        trie: TokenTrie,
        analyte_names: set[str],
        dose_context_only: list[str],
        makers: list[str],
    ) -> None:
        register()
        self.lexicon = lexicon
        self.trie = trie
        self.analyte_names = analyte_names  # `albumin` is a drug, or a lab analyte when measured
        # `25 g of glucose`, `glucose 25 g`: a drug only next to a dose
        self.dose_context_only = {n.lower() for n in dose_context_only}
        self.makers = {n.lower() for n in makers}
        names = "|".join(re.escape(n) for n in dose_context_only)
        self.dosed_re = gated(  # also a solution's strength: `10% glucose`
            rf"(?:{_AMOUNT}\s+(?:of\s+)?)?(?:\d+(?:\.\d+)?\s?%\s+)(?P<a>{names})\b"
            rf"|{_AMOUNT}\s+(?:of\s+)?(?P<c>{names})\b"
            rf"|\b(?P<b>{names})\s+(?:\d+(?:\.\d+)?\s?%\s+)?{_AMOUNT}",
            re.I,
        )

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        found = []
        refused: list[tuple[int, int]] = []  # names in a test: no name inside them either
        for form, start, end in self.trie(doc):
            span = doc[start:end]
            written = text[span.start_char : span.end_char]  # `span.text` makes Tokens
            name = self.lexicon.name(form)
            if name.exact and re.sub(r"\s+", " ", written) != name.form:
                continue
            if (
                self._is_measured(text, span)
                or self._in_a_test(text, span)
                or written.lower() in self.dose_context_only  # found next to a dose below
            ):
                refused.append((start, end))
            else:
                found += [(agent, None) for agent in self._agents(span)]
        found = [
            (span, name)
            for span, name in found
            if not any(s <= span.start and span.end <= e for s, e in refused)
        ]
        found += [(s, None) for s in self._stem_spans(doc) if not self._in_a_test(text, s)]
        found += [(s, None) for s in self._dosed_spans(doc, text)]
        found += self._abbreviation_spans(doc, [span for span, _ in found])
        doc.spans.setdefault(CANDIDATES, [])
        for span, name in found:
            drug = Span(doc, span.start, span.end, label="DRUG")
            written = text[span.start_char : span.end_char]
            drug._.normalized = normalized = self.lexicon.normalize(written, name)
            if normalized["brand"] is None and _is_brand(text, span, normalized):
                normalized["brand"] = written
            doc.spans[CANDIDATES].append(drug)
        self._bracketed_brands(doc, text, list(doc.spans[CANDIDATES]))  # read once
        return doc

    def _bracketed_brands(self, doc: Doc, text: str, candidates) -> None:
        """A capitalised word no list knows, in brackets right after a drug, is that drug's
        brand (`furosemide (Seguril)`), unless it names a maker (`rituximab (Roche)`)."""
        known = {(c.start_char, c.end_char) for c in candidates}
        for drug in [c for c in candidates if c.label_ == "DRUG"]:
            match = _BRAND_AFTER.match(text, drug.end_char)
            if match is None or match.span(1) in known:
                continue
            word = match.group(1)
            if word.lower() in self.makers or self.lexicon.lookup(word) is not None:
                continue
            span = doc.char_span(*match.span(1))
            if span is None:
                continue
            brand = Span(doc, span.start, span.end, label="DRUG")
            brand._.normalized = {**drug._.normalized, "brand": word}
            doc.spans[CANDIDATES].append(brand)

    def _dosed_spans(self, doc: Doc, text: str) -> list[Span]:
        spans = []
        for match in self.dosed_re.finditer(text):
            group = next(name for name in ("a", "b", "c") if match.group(name))
            span = doc.char_span(match.start(group), match.end(group), alignment_mode="expand")
            if span is not None:
                spans.append(span)
        return spans

    def _agents(self, span: Span) -> list[Span]:
        """A combination written as its agents joined by `-` or `/` (`piperacillin-tazobactam`,
        `TMP-SMX`) gives each agent (spec section 9: agents written out are each a DRUG);
        any other name is one span."""
        parts, start = [], span.start
        for token in span:
            if token.text in AGENT_JOINERS:
                parts.append(span.doc[start : token.i])
                start = token.i + 1
        parts.append(span.doc[start : span.end])
        if len(parts) > 1 and all(len(p) and self.lexicon.lookup(p.text) for p in parts):
            return parts
        return [span]

    def _is_measured(self, text: str, span: Span) -> bool:
        """`albumin 3.2 g/dL`; any drug followed by a concentration (`phenytoin 1,9 mg/l`)."""
        if _LEVEL_AFTER.match(text, span.end_char):
            return True
        written = text[span.start_char : span.end_char]
        return written.lower() in self.analyte_names and bool(_MEASURED.match(text, span.end_char))

    @staticmethod
    def _in_a_test(text: str, span: Span) -> bool:
        """`vancomycin trough level`, `sensitive to penicillin`, `99mTc-sestamibi`."""
        before = text[max(0, span.start_char - 160) : span.start_char]
        lowered = before.lower()  # the long patterns only where their key word stands
        return bool(
            _TEST_AFTER.match(text, span.end_char)
            or _SAMPLE_BEFORE.search(before[-30:])
            or (
                ("sensitive" in lowered or "susceptible" in lowered)
                and _SUSCEPTIBLE_BEFORE.search(before)
            )
            or ("resistant" in lowered and _RESISTANT_BEFORE.search(before))
            or _TRACER.search(text[span.start_char : span.end_char])
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
            if named and self.lexicon.lookup(short.text) is None:
                found.append(
                    (doc[short.start : short.end], self.lexicon.normalize(named[0].text)["name"])
                )
        return found
