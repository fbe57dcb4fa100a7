"""medspaCy's ConText graph, visiting only the pairs whose spans can meet.

medspaCy's `ConTextGraph` compares every pair of modifiers (`update_scopes`) and every
(target, modifier) pair (`apply_modifiers`) of a Doc: quadratic in its length, though a
scope never leaves its sentence. Every one of those comparisons is a no-op unless the two
spans intersect (medspaCy checks that first, and scopes only shrink), so this graph makes the
same calls, in the same order, for the pairs whose spans intersect, found by a sweep over
sorted intervals, and skips the rest: the results are identical, the cost linear in practice.
One rule is casex's own (`_end_at_clause`): a sentence-opening clause bounds a modifier in it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from heapq import heappop, heappush

from medspacy.context import ConTextGraph
from medspacy.util import tuple_overlaps

from casex.extensions import doc_text, sentence_offsets


class LinearContextGraph(ConTextGraph):
    # set from the rules: words that open a clause set before the main one
    clause_opener: re.Pattern | None = None

    def update_scopes(self) -> None:
        modifiers = self.modifiers
        scopes = [m.scope_span for m in modifiers]
        for i, partners in enumerate(_meeting(scopes, scopes)):
            for j in partners:
                if j > i:
                    modifiers[i].limit_scope(modifiers[j])
                    modifiers[j].limit_scope(modifiers[i])
        self._end_at_clause()
        self._backward_from_clause()

    def _end_at_clause(self) -> None:
        """casex's rule beyond medspaCy's: a modifier inside a clause that opens its sentence
        (`Despite the absence of randomized data, she received X`, `Without evidence of
        relapse, X was given`) reaches no further than that clause's comma."""
        if self.clause_opener is None or not self.targets:
            return
        doc = self.targets[0].doc
        text = doc_text(doc)
        sentences = sentence_offsets(doc)
        sentence_starts = [start for start, _ in sentences]
        for modifier in self.modifiers:
            start, end = modifier.modifier_span
            first = doc[start]
            # the text from the sentence's start to the modifier's first token (a Span's
            # `.text`, or the Token's `.sent`, would make a Token for each word before it)
            sentence_start = sentence_starts[bisect_right(sentence_starts, first.idx) - 1]
            if not self.clause_opener.match(text, sentence_start, first.idx + len(first)):
                continue
            sentence = first.sent
            comma = next((t.i for t in doc[end : sentence.end] if t.text == ","), None)
            if comma is not None:
                modifier._scope_end = min(modifier._scope_end, comma)

    def _backward_from_clause(self) -> None:
        """casex's rule beyond medspaCy's: a modifier that looks back (`X was not required`)
        reaches no further back than the clause it closes, when a full clause stands before
        it (`Allopurinol was given, and rasburicase was not required`; not the list of
        `Warfarin, aspirin, and clopidogrel were not given`)."""
        if not self.targets:
            return
        doc = self.targets[0].doc
        whole = doc_text(doc)
        for modifier in self.modifiers:
            if modifier.direction != "BACKWARD":
                continue
            start = modifier.modifier_span[0]
            sentence = doc[start].sent
            before = doc[sentence.start : start]
            offset = before.start_char
            text = whole[offset : before.end_char]
            breaks = list(_CLAUSE_BREAK.finditer(text))
            for index in range(len(breaks) - 1, -1, -1):
                opened = breaks[index - 1].end() if index else 0
                if _FINITE_VERB.search(text, opened, breaks[index].start()):
                    token = doc.char_span(
                        offset + breaks[index].end(), before.end_char, alignment_mode="expand"
                    )
                    if token is not None:
                        modifier._scope_start = max(modifier._scope_start, token.start)
                    break

    def apply_modifiers(self) -> None:
        targets = [(t.start, t.end) for t in self.targets]
        if self.prune_on_modifier_overlap:
            spans = [m.modifier_span for m in self.modifiers]
            hits = _meeting(spans, targets)
            self.modifiers = [
                m
                for m, candidates in zip(self.modifiers, hits)
                if not any(tuple_overlaps(targets[t], m.modifier_span) for t in candidates)
            ]
        scopes = [m.scope_span for m in self.modifiers]
        for target, candidates in zip(self.targets, _meeting(targets, scopes)):
            for index in candidates:
                modifier = self.modifiers[index]
                if modifier.modifies(target):
                    modifier.modify(target)
        edges = []
        for modifier in self.modifiers:
            modifier.reduce_targets()
            edges.extend((target, modifier) for target in modifier._targets)
        self.edges = edges


# a clause break, and a verb that makes what stands before it a clause
_CLAUSE_BREAK = re.compile(r";\s*|,?\s+(?:and|but|while|whereas|although)\s+", re.I)
_FINITE_VERB = re.compile(
    r"\b(?:was|were|is|are|had|has|have|did|received|started|given|continued|began)\b", re.I
)


def _meeting(left: list[tuple[int, int]], right: list[tuple[int, int]]) -> list[list[int]]:
    """For each interval of `left`, the indices (ascending) of the `right` intervals that
    intersect it as closed intervals: a superset of medspaCy's `tuple_overlaps`."""
    events = sorted(
        [(start, 0, "right", k) for k, (start, _) in enumerate(right)]
        + [(start, 1, "left", k) for k, (start, _) in enumerate(left)]
    )
    found: list[list[int]] = [[] for _ in left]
    # the intervals open at the sweep's position, and their ends in a heap each
    active_left: set[int] = set()
    active_right: set[int] = set()
    left_ends: list[tuple[int, int]] = []
    right_ends: list[tuple[int, int]] = []
    for start, _, side, k in events:
        for active, ends in ((active_left, left_ends), (active_right, right_ends)):
            while ends and ends[0][0] < start:
                active.discard(heappop(ends)[1])
        if side == "left":
            found[k].extend(active_right)
            active_left.add(k)
            heappush(left_ends, (left[k][1], k))
        else:
            for index in active_left:
                found[index].append(k)
            active_right.add(k)
            heappush(right_ends, (right[k][1], k))
    return [sorted(indices) for indices in found]
