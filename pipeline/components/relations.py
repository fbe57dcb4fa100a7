"""Component: DOSE_OF, VALUE_OF and RESPONSE_TO relations between mentions of a sentence.

- DOSE_OF: a dose belongs to the drug named right after it (`375 mg/m2 rituximab`, `1 g of
  X`), else to the nearest drug before it in its sentence, else in the sentence before; a
  radiation dose without a drug belongs to `radiotherapy`. The drug's name fills the dose's
  `drug` field.
- VALUE_OF: a value right after (or inside the parenthesis after) a response naming its
  analyte (`MRD positivity (10-3)`).
- RESPONSE_TO: a response the sentence credits to a drug: `CMR with IO`, `CR after 10 days of
  ponatinib`, `treated with ponatinib, obtaining a molecular remission`.
"""

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.extensions import register

_DRUG_AFTER_DOSE = re.compile(r"^\s*(?:of\s+)?$")
_CREDIT_AFTER = re.compile(
    r"^[\s,]*(?:\w+\s+){0,1}?(?:with|after|to|following|on|under|by)\b[^.;]{0,45}$", re.I
)
_CREDIT_BEFORE = re.compile(
    r"\b(?:treated with|received|receiving|treatment with|therapy with|course of|courses of|"
    r"administration of|given|underwent|started|after|following|with)\b",
    re.I,
)
_RADIATION = {"Gy", "cGy"}


@Language.factory("casex_relations")
def create_relations(nlp: Language, name: str):
    return RelationFinder()


class RelationFinder:
    def __init__(self) -> None:
        register()

    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)
        relations: list[dict] = []
        for i, ent in enumerate(ents):
            if ent.label_ == "DOSE":
                relations += self._dose_of(doc, ents, i)
            elif ent.label_ == "LAB_VALUE":
                relations += _value_of(doc, ents, i)
            elif ent.label_ == "RESPONSE" and not ent._.is_negated:
                relations += _response_to(doc, ents, i)
        doc._.casex_relations = relations
        return doc

    def _dose_of(self, doc: Doc, ents: list[Span], i: int) -> list[dict]:
        dose = ents[i]
        drug_index = _drug_for_dose(doc, ents, i)
        fields = dict(dose._.normalized)
        if drug_index is not None:
            fields["drug"] = ents[drug_index]._.normalized["name"]
        elif fields["unit"] in _RADIATION:
            fields["drug"] = "radiotherapy"
        dose._.normalized = fields
        return [] if drug_index is None else [{"type": "DOSE_OF", "head": i, "tail": drug_index}]


def _drug_for_dose(doc: Doc, ents: list[Span], i: int) -> int | None:
    dose = ents[i]
    if i + 1 < len(ents) and ents[i + 1].label_ == "DRUG":
        if _DRUG_AFTER_DOSE.match(doc.text[dose.end_char : ents[i + 1].start_char]):
            return i + 1
    sentence = dose.sent
    previous_sentence_start = (
        doc[sentence.start - 1].sent.start if sentence.start > 0 else sentence.start
    )
    for j in range(i - 1, -1, -1):
        if ents[j].start < previous_sentence_start:
            break
        if ents[j].label_ == "DRUG":
            return j
    return None


def _value_of(doc: Doc, ents: list[Span], i: int) -> list[dict]:
    value = ents[i]
    analyte = value._.normalized.get("analyte")
    for j in range(i - 1, max(-1, i - 3), -1):
        candidate = ents[j]
        gap = doc.text[candidate.end_char : value.start_char]
        if (
            candidate.label_ == "RESPONSE"
            and analyte in ("mrd", "bcr-abl1")
            and candidate._.normalized["category"].startswith("MRD")
            and len(gap) <= 20
            and "." not in gap
        ):
            return [{"type": "VALUE_OF", "head": i, "tail": j}]
    return []


def _response_to(doc: Doc, ents: list[Span], i: int) -> list[dict]:
    response = ents[i]
    sentence = response.sent
    for j in range(i + 1, len(ents)):
        drug = ents[j]
        if drug.start >= sentence.end:
            break
        if drug.label_ == "DRUG":
            if _CREDIT_AFTER.match(doc.text[response.end_char : drug.start_char]):
                return [{"type": "RESPONSE_TO", "head": i, "tail": j}]
            break
    for j in range(i - 1, -1, -1):
        drug = ents[j]
        if drug.start < sentence.start:
            break
        if drug.label_ == "RESPONSE":
            break
        if drug.label_ == "DRUG":
            before = doc.text[sentence.start_char : drug.start_char]
            if _CREDIT_BEFORE.search(before[-40:]):
                return [{"type": "RESPONSE_TO", "head": i, "tail": j}]
            break
    return []
