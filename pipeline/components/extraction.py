"""Component: the pipeline's result as plain data in `doc._.casex_extraction`.

Plain data (no spaCy or medspaCy objects), so that it can be written, compared or sent
between processes as it is; record.py adds the report's identity to it.
"""

from spacy.language import Language
from spacy.tokens import Doc

from casex.extensions import register

CONTEXT_FLAGS = {
    "negated": "is_negated",
    "uncertain": "is_uncertain",
    "historical": "is_historical",
    "hypothetical": "is_hypothetical",
}


@Language.factory("casex_extraction")
def create_extraction(nlp: Language, name: str):
    return Extraction()


class Extraction:
    def __init__(self) -> None:
        register()

    def __call__(self, doc: Doc) -> Doc:
        mentions = []
        for ent in doc.ents:
            mention = {
                "label": ent.label_,
                "start": ent.start_char,
                "end": ent.end_char,
                "section": ent._.casex_section,
                "case_id": ent._.case_id,
            }
            for flag, attribute in CONTEXT_FLAGS.items():
                mention[flag] = bool(getattr(ent._, attribute, False))
            if ent.label_ == "RESPONSE" and ent._.normalized["category"] == "NR":
                mention["negated"] = False  # `no response` is the category NR, not a negation
            mention["normalized"] = dict(ent._.normalized)
            mentions.append(mention)
        doc._.casex_extraction = {
            "sections": list(doc._.casex_sections or []),
            "cases": list(doc._.casex_cases or []),
            "mentions": mentions,
            "relations": list(doc._.casex_relations or []),
        }
        return doc
