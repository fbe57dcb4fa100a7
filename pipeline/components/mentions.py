"""Component: candidates become `doc.ents`: outside skipped sections, without overlaps,
each with its section and case."""

import bisect

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from casex.components.spans import CANDIDATES
from casex.extensions import register
from casex.segment.cases import CaseIndex


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
        for span in filter_spans(kept):
            section = _section_at(sections, starts, span.start_char)
            span._.casex_section = section["title"] if section else None
            span._.case_id = cases.at(span.start_char)
            ents.append(span)
        doc.ents = ents
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


def _section_at(sections: list[dict], starts: list[int], position: int) -> dict | None:
    index = bisect.bisect_right(starts, position) - 1
    return sections[index] if index >= 0 else None
