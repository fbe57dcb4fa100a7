"""Component: the pipeline's result as plain data in `doc._.casex_extraction`.

Plain data (no spaCy or medspaCy objects), so that it can be written, compared or sent
between processes as it is; record.py adds the report's identity to it.
"""

from spacy.language import Language
from spacy.tokens import Doc

from casex.components.adverse_events import NEGATED_EVENTS
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
        negated_events = doc.user_data.get(NEGATED_EVENTS, set())
        for ent in doc.ents:
            extension, label = ent._, ent.label_  # each `ent._` makes a new accessor
            mention = {
                "label": label,
                "start": ent.start_char,
                "end": ent.end_char,
                "section": extension.casex_section,
                "case_id": extension.case_id,
            }
            for flag, attribute in CONTEXT_FLAGS.items():
                mention[flag] = bool(getattr(extension, attribute, False))
            mention["normalized"] = dict(extension.normalized)
            if label == "RESPONSE" and mention["normalized"]["category"] == "NR":
                mention["negated"] = False  # `no response` is the category NR, not a negation
            if label in ("LAB_VALUE", "DOSE"):
                mention["negated"] = False  # a number written is a measurement or an amount
            if label == "THERAPY" and mention["negated"]:
                # a treatment not given is hypothetical, not negated (spec section 10)
                mention["negated"], mention["hypothetical"] = False, True
            if (
                label == "IMMUNOPHENOTYPE"
                and mention["normalized"]["expression"] == "negative"
                and "loss" not in ent.text.lower()
            ):
                # `no lambda expression` states the marker's status (negative); only an
                # absent loss (`no CD22 antigen loss`) is negated
                mention["negated"] = False
            if label == "ADVERSE_EVENT" and (ent.start_char, ent.end_char) in negated_events:
                mention["negated"] = True  # `neither of them had such adverse event`
            if label == "GENETICS" and mention["negated"]:
                # a finding stated as absent is a negative result (spec section 10)
                mention["negated"] = False
                if mention["normalized"]["kind"] != "karyotype":
                    mention["normalized"]["status"] = "negative"
            mentions.append(mention)
        doc._.casex_extraction = {
            "sections": list(doc._.casex_sections or []),
            "cases": list(doc._.casex_cases or []),
            "mentions": mentions,
            "relations": list(doc._.casex_relations or []),
        }
        return doc
