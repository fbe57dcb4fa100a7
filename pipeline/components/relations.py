"""Component: DOSE_OF, VALUE_OF, RESPONSE_TO and CAUSED_BY relations between mentions of a
sentence.

- DOSE_OF: a dose belongs to the drug named right after it (`375 mg/m2 rituximab`, `1 g of
  X`), else to the nearest drug before it in its sentence; else a dose per weight or area
  goes to the drug of the last dose in its unit (`a dose reduction to 4.4 mg/kg`), and any
  other to the nearest drug in the sentence before; a
  radiation dose belongs to the nearest radiotherapy mention and has the `drug`
  `radiotherapy`. The drug's name fills the dose's `drug` field.
- VALUE_OF: a value right after (or inside the parenthesis after) a response naming its
  analyte (`MRD positivity (10-3)`).
- RESPONSE_TO: a response the sentence credits to a drug: `CMR with IO`, `CR after 10 days of
  ponatinib`, `treated with ponatinib, obtaining a molecular remission`, `olverembatinib
  induced MMR`; to every drug of a list (`venetoclax plus azacitidine`, `ATRA, ATO and
  idarubicin`); and a response's abbreviation or a response listed right after it (`CR with
  incomplete hematologic recovery (CRi), MRD-negative ...`) shares its credit. With no drug
  credited, a therapy may be (`CR after R-CHOP`).
- CAUSED_BY: an adverse event the sentence ties to a drug or therapy (`ponatinib-induced
  hepatotoxicity`, `neuropathy attributed to bortezomib`).
"""

import bisect
import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from casex.components.drugs import AGENT_JOINERS
from casex.components.quantities import DOSE_THEN_DRUG
from casex.extensions import doc_text, register, sentence_offsets

_DRUG_AFTER_DOSE = re.compile(rf"^{DOSE_THEN_DRUG}$")
_CREDIT_AFTER = re.compile(
    r"^[\s,]*(?:\([^)]*\)\s*)?(?:\w+\s+){0,1}?(?:with|after|to|following|on|under|by)\b[^.;]{0,45}$",
    re.I,
)
# a drug doing the work: `ATRA plus ATO achieved complete remission`, `X 30 mg produced no response`
_CREDIT_VERB = re.compile(
    r"\b(?:achieved|achieving|produced|producing|induced|inducing|led to|resulted in|gave|"
    r"yielded|obtained|brought)\b[^.;]{0,40}$",
    re.I,
)
# what joins the drugs of a list, or a response to the next one it is listed with
_LIST_JOIN = re.compile(r"^\s*(?:,|;|and|or|plus|\+|-|–|/|with|\(|\)|\s)*\s*$", re.I)
_IN_BRACKETS = re.compile(r"\s*\(\s*$")
_CREDIT_BEFORE = re.compile(
    r"\b(?:treated with|received|receiving|treatment with|therapy with|course of|courses of|"
    r"administration of|given|underwent|started|after|following|with|end of)\b"
    # `on day 31 of ATRA`, `at 12 months of dasatinib`, `two cycles of InO`
    r"|\b(?:days?|weeks?|months?|years?|cycles?|doses?)\s+(?:\d+\s+)?of\s*$",
    re.I,
)
_RADIATION = {"Gy", "cGy"}
TREATMENTS = ("DRUG", "THERAPY")
# what ties an event to the treatment right before it: `ponatinib-induced hepatotoxicity`,
# `after two cycles of R-CHOP she developed febrile neutropenia`
_CAUSE_RIGHT_BEFORE = re.compile(r"^\s*[-–]?\s*(?:induced|related|associated|mediated)\s*$", re.I)
# ... and the events listed after that one (`X-induced Y and Z`)
_CAUSE_LISTED_BEFORE = re.compile(
    r"^\s*[-–]?\s*(?:induced|related|associated|mediated)\s*(?:[\w-]+\s*(?:,|and|or)\s*)+$", re.I
)
_CAUSE_BEFORE = re.compile(
    r"^[^.;]{0,80}\b(?:developed|experienced|suffered|complicated by|caused|induced|led to|"
    r"resulted in|toxicity|toxicities|was followed by)\b[^.;]{0,40}$",
    re.I,
)
# what ties an event to a treatment named after it: `neuropathy attributed to bortezomib`;
# a named cause comes before any treatment before the event
_CAUSE_NAMED_AFTER = re.compile(
    r"^[^.;]{0,60}?\b(?:secondary to|due to|caused by|induced by|attributed to|attributable to|"
    r"related to|associated with)\b[^.;]{0,40}$",
    re.I,
)
_CAUSE_AFTER = re.compile(
    r"^[^.;]{0,60}?\b(?:after|following|during|while on|while receiving|on)\b[^.;]{0,40}$",
    re.I,
)


@Language.factory("casex_relations")
def create_relations(nlp: Language, name: str):
    return RelationFinder()


@dataclass
class Mention:
    """What relation rules need of an entity, read once (spaCy builds spans on each access)."""

    span: Span
    label: str
    start: int
    end: int
    sentence: int
    normalized: dict
    negated: bool


class RelationFinder:
    def __init__(self) -> None:
        register()

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        sentence_starts = [start for start, _ in sentence_offsets(doc)]
        mentions = [
            Mention(
                ent,
                ent.label_,
                ent.start_char,
                ent.end_char,
                bisect.bisect_right(sentence_starts, ent.start_char) - 1,
                extension.normalized,
                bool(extension.is_negated),
            )
            for ent in doc.ents
            for extension in (ent._,)  # each `ent._` makes a new accessor
        ]
        relations: list[dict] = []
        for i, mention in enumerate(mentions):
            if mention.label == "DOSE":
                relations += _dose_of(text, mentions, i)
            elif mention.label == "LAB_VALUE":
                relations += _value_of(text, mentions, i)
            elif mention.label == "RESPONSE" and not mention.negated:
                relations += _response_to(text, sentence_starts, mentions, i, relations)
            elif mention.label == "ADVERSE_EVENT" and not mention.negated:
                relations += _caused_by(text, mentions, i)
        doc._.casex_relations = relations
        return doc


def _dose_of(text: str, mentions: list[Mention], i: int) -> list[dict]:
    dose = mentions[i]
    fields = dict(dose.normalized)
    radiation = fields["unit"] in _RADIATION
    drug_index = (
        _radiotherapy_for_dose(mentions, i) if radiation else _drug_for_dose(text, mentions, i)
    )
    if drug_index is not None and not radiation:
        fields["drug"] = mentions[drug_index].normalized["name"]
    elif radiation:
        fields["drug"] = "radiotherapy"
    dose.span._.normalized = fields
    return [] if drug_index is None else [{"type": "DOSE_OF", "head": i, "tail": drug_index}]


def _drug_for_dose(text: str, mentions: list[Mention], i: int) -> int | None:
    """The drug right after the dose, else the nearest before it in its or the previous
    sentence; the doses of `lopinavir/ritonavir 400/100 mg` go to the two agents in order."""
    dose = mentions[i]
    paired = _paired_drug(text, mentions, i)
    if paired is not None:
        return paired
    if i + 1 < len(mentions) and mentions[i + 1].label == "DRUG":
        if _DRUG_AFTER_DOSE.match(text[dose.end : mentions[i + 1].start]):
            return i + 1
    nearest = None
    for j in range(i - 1, -1, -1):
        if mentions[j].sentence < dose.sentence - 1:
            break
        if mentions[j].label == "DRUG":
            nearest = j
            break
    if nearest is not None and mentions[nearest].sentence == dose.sentence:
        return _first_agent(text, mentions, nearest)
    earlier = _drug_of_earlier_dose(mentions, i)
    return nearest if earlier is None else earlier


def _drug_of_earlier_dose(mentions: list[Mention], i: int) -> int | None:
    """A dose with no drug in its sentence, in a unit per weight or area (`a dose reduction to
    4.4 mg/kg`), goes to the drug of the last dose in that unit within three sentences."""
    dose = mentions[i]
    unit = dose.normalized["unit"]
    if "/" not in unit:
        return None
    for j in range(i - 1, -1, -1):
        earlier = mentions[j]
        if earlier.sentence < dose.sentence - 3:
            return None
        if earlier.label == "DOSE" and earlier.normalized["unit"] == unit:
            name = earlier.span._.normalized.get("drug")
            return next(
                (
                    k
                    for k in range(j, -1, -1)
                    if mentions[k].label == "DRUG" and mentions[k].normalized["name"] == name
                ),
                None,
            )
    return None


def _radiotherapy_for_dose(mentions: list[Mention], i: int) -> int | None:
    """The radiotherapy mention nearest to a radiation dose in its sentence or the one before."""
    dose = mentions[i]
    near = [
        j
        for j, m in enumerate(mentions)
        if m.label == "THERAPY"
        and m.normalized["kind"] == "radiotherapy"
        and dose.sentence - 1 <= m.sentence <= dose.sentence
    ]
    return min(near, key=lambda j: abs(j - i), default=None)


def _paired_drug(text: str, mentions: list[Mention], i: int) -> int | None:
    """For a dose written with its neighbour as `400/100 mg`, the agent of the same place in
    a pair of drugs written just before it as `A/B` (or `A and B`, `A + B`)."""
    before = i > 0 and mentions[i - 1].label == "DOSE"
    before = before and text[mentions[i - 1].end : mentions[i].start] == "/"
    after = i + 1 < len(mentions) and mentions[i + 1].label == "DOSE"
    after = after and text[mentions[i].end : mentions[i + 1].start] == "/"
    if not (before or after):
        return None
    first = i - 1 if before else i
    drugs = [j for j in range(first - 1, -1, -1) if mentions[j].label == "DRUG"][:2]
    if len(drugs) < 2 or mentions[drugs[0]].sentence != mentions[first].sentence:
        return None
    joint = text[mentions[drugs[1]].end : mentions[drugs[0]].start].strip()
    if joint not in AGENT_JOINERS | {"and", "+", "plus"}:
        return None
    return drugs[1] if first == i else drugs[0]


def _first_agent(text: str, mentions: list[Mention], j: int) -> int:
    """The first agent of a combination written as agents joined by `-` or `/`
    (`piperacillin-tazobactam 4.5 g` is a dose of piperacillin), else `j`."""
    while (
        j > 0
        and mentions[j - 1].label == "DRUG"
        and text[mentions[j - 1].end : mentions[j].start] in AGENT_JOINERS
    ):
        j -= 1
    return j


def _value_of(text: str, mentions: list[Mention], i: int) -> list[dict]:
    value = mentions[i]
    if value.normalized.get("analyte") not in ("mrd", "bcr-abl1"):
        return []
    for j in range(i - 1, max(-1, i - 3), -1):
        candidate = mentions[j]
        gap = text[candidate.end : value.start]
        if (
            candidate.label == "RESPONSE"
            and candidate.normalized["category"]
            in ("MRD_NEGATIVE", "MRD_POSITIVE", "MOLECULAR_RESPONSE")
            and len(gap) <= 40
            and "." not in gap
        ):
            return [{"type": "VALUE_OF", "head": i, "tail": j}]
    return []


def _response_to(
    text: str,
    sentence_starts: list[int],
    mentions: list[Mention],
    i: int,
    earlier: list[dict],
) -> list[dict]:
    response = mentions[i]
    previous = mentions[i - 1] if i else None
    if previous and previous.label == "RESPONSE" and previous.sentence == response.sentence:
        if _LIST_JOIN.match(text[previous.end : response.start]):
            credited = [
                r["tail"] for r in earlier if r["type"] == "RESPONSE_TO" and r["head"] == i - 1
            ]
            if credited:
                return [{"type": "RESPONSE_TO", "head": i, "tail": j} for j in credited]
    for labels in (("DRUG",), TREATMENTS):  # a drug first, else a therapy (`CR after R-CHOP`)
        drug = _credited_drug(text, sentence_starts, mentions, i, labels)
        if drug is not None:
            members = _drug_list(text, mentions, drug)
            return [{"type": "RESPONSE_TO", "head": i, "tail": j} for j in members]
    return []


def _credited_drug(
    text: str, sentence_starts: list[int], mentions: list[Mention], i: int, labels: tuple
) -> int | None:
    """The drug (or other treatment of `labels`) the sentence credits with response `i`."""
    response = mentions[i]
    for j in range(i + 1, len(mentions)):
        drug = mentions[j]
        if drug.label == "RESPONSE" and _IN_BRACKETS.match(text[mentions[j - 1].end : drug.start]):
            continue  # `a complete response (CR) to cladribine`: the abbreviation is no break
        if drug.sentence != response.sentence or drug.label == "RESPONSE":
            break
        if drug.label in labels:
            if _CREDIT_AFTER.match(text[response.end : drug.start]):
                return j
            break
    for j in range(i - 1, -1, -1):
        drug = mentions[j]
        if drug.sentence != response.sentence or drug.label == "RESPONSE":
            break
        if drug.label in labels:
            first = mentions[_drug_list(text, mentions, j)[0]]  # `of ATRA and ATO`: the list's
            before = text[sentence_starts[response.sentence] : first.start]
            if _CREDIT_BEFORE.search(before[-40:]) or _CREDIT_VERB.search(
                text[drug.end : response.start]
            ):
                return j
            return None
    return None


def _drug_list(text: str, mentions: list[Mention], j: int) -> list[int]:
    """Drug `j` and the drugs listed with it (`docetaxel plus ramucirumab`)."""
    members = [j]
    for step in (-1, 1):
        k = j
        while 0 <= k + step < len(mentions) and mentions[k + step].label == mentions[j].label:
            left, right = sorted((mentions[k], mentions[k + step]), key=lambda m: m.start)
            if not _LIST_JOIN.match(text[left.end : right.start]):
                break
            k += step
            members.append(k)
    return sorted(members)


def _caused_by(text: str, mentions: list[Mention], i: int) -> list[dict]:
    """CAUSED_BY from event `i` to the treatment its sentence ties it to, with the treatments
    listed beside that one: the treatment right before it (`X-induced Y`), else one named as
    the cause after it (`Y secondary to X`), else the nearest before it with a causal word
    between (`X ... developed Y`), else one after it (`Y during X`)."""
    before = _treatment_before(mentions, i)
    gap = text[mentions[before].end : mentions[i].start] if before is not None else ""
    cause = next(
        (
            j
            for j in (
                before if _CAUSE_RIGHT_BEFORE.match(gap) else None,
                _treatment_after(text, mentions, i, _CAUSE_NAMED_AFTER),
                before if _CAUSE_LISTED_BEFORE.match(gap) or _CAUSE_BEFORE.match(gap) else None,
                _treatment_after(text, mentions, i, _CAUSE_AFTER),
            )
            if j is not None
        ),
        None,
    )
    if cause is None:
        return []
    return [{"type": "CAUSED_BY", "head": i, "tail": j} for j in _drug_list(text, mentions, cause)]


def _treatment_before(mentions: list[Mention], i: int) -> int | None:
    """The nearest treatment before mention `i` in its sentence, if it is not negated."""
    for j in range(i - 1, -1, -1):
        if mentions[j].sentence != mentions[i].sentence:
            return None
        if mentions[j].label in TREATMENTS:
            return None if mentions[j].negated else j
    return None


def _treatment_after(text: str, mentions: list[Mention], i: int, tie: re.Pattern) -> int | None:
    """The first treatment after mention `i` in its sentence, when `tie` matches between."""
    for j in range(i + 1, len(mentions)):
        if mentions[j].sentence != mentions[i].sentence:
            return None
        if mentions[j].label in TREATMENTS:
            return j if tie.match(text[mentions[i].end : mentions[j].start]) else None
    return None
