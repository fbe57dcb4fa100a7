"""Component: candidates become `doc.ents`: outside skipped sections, without overlaps,
each with its section and case."""

import bisect
import re

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from casex.components.spans import CANDIDATES
from casex.extensions import register
from casex.segment.cases import CaseIndex

# what follows the agent in a toxicity named after it
_TOXICITY = re.compile(r"[-–]?\s*(?:toxicity|toxicities|intoxication|poisoning|overdose)", re.I)


@Language.factory("casex_mentions")
def create_mentions(nlp: Language, name: str):
    return MentionAssembler()


class MentionAssembler:
    def __init__(self) -> None:
        register()

    def __call__(self, doc: Doc) -> Doc:
        sections = doc._.casex_sections or []
        starts = [s["start"] for s in sections]
        kept: list[Span] = []
        for span in _last_per_offsets(doc.spans.get(CANDIDATES, [])):
            section = _section_at(sections, starts, span.start_char)
            if section is not None and section["skipped"]:
                continue
            kept.append(span)
        ents = []
        cases = CaseIndex(doc._.casex_case_ranges or [])
        for span in filter_spans(_without_agents(kept)):
            section = _section_at(sections, starts, span.start_char)
            extension = span._  # each `span._` makes a new accessor
            extension.casex_section = section["title"] if section else None
            extension.case_id = cases.at(span.start_char)
            ents.append(span)
        doc.set_ents(ents, default="outside")  # `doc.ents = ents` makes each Span anew
        if CANDIDATES in doc.spans:
            del doc.spans[CANDIDATES]
        return doc


def _last_per_offsets(candidates) -> list[Span]:
    """One candidate per character span: the last one made. spaCy keys a Span's extension
    values by its offsets only, so candidates of two labels over the same text share one
    `normalized`, which is the last one's."""
    candidates = list(candidates)
    last = {(span.start_char, span.end_char): i for i, span in enumerate(candidates)}
    return [
        span for i, span in enumerate(candidates) if last[(span.start_char, span.end_char)] == i
    ]


def _without_agents(spans: list[Span]) -> list[Span]:
    """A toxicity named after its agent (`lithium toxicity`, `digoxin intoxication`) leaves the
    agent its DRUG mention: the event's span starts after it, its term kept. A disorder named
    after a drug (`heparin-induced thrombocytopenia`) stays whole."""
    starts = {s.start: s.end for s in spans if s.label_ == "DRUG"}
    out = []
    for span in spans:
        end = starts.get(span.start) if span.label_ == "ADVERSE_EVENT" else None
        if (
            end is not None
            and end < span.end
            and _TOXICITY.fullmatch(span.doc[end : span.end].text)
        ):
            rest = end + (span.doc[end].text in ("-", "–") and end + 1 < span.end)
            event = Span(span.doc, rest, span.end, label=span.label_)
            event._.normalized = span._.normalized
            span = event
        out.append(span)
    return out


def _section_at(sections: list[dict], starts: list[int], position: int) -> dict | None:
    index = bisect.bisect_right(starts, position) - 1
    return sections[index] if index >= 0 else None
