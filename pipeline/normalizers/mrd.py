"""MRD stated as a predicate: each status word after `MRD` in its sentence."""

from __future__ import annotations

import re

from casex.gated_regex import gated

_STATUS_NOUN = re.compile(r"[\s-]*(?:positivity|negativity)\b", re.I)


class MrdPredicates:
    """MRD stated as a predicate: `MRD assessed by NGS remained detectable at 10^-4 and later
    turned negative (<10^-5)` holds two responses; each status word after the subject, in its
    sentence and before another test is named, is one (span: the status word)."""

    def __init__(self, words: dict) -> None:
        def alternation(key: str) -> str:
            return "|".join(re.escape(w) for w in sorted(words[key], key=len, reverse=True))

        self.subject_re = gated(rf"\b(?:{alternation('subjects')})\b", re.I)
        self.status_re = re.compile(
            rf"\b(?:(?P<neg>{alternation('negative')})|(?P<pos>{alternation('positive')}))\b"
            rf"|(?P<stop>\b(?:{alternation('stop')})\b|[.;](?:\s|$)|\n)",
            re.I,
        )
        self.setting_re = re.compile(rf"[\s-]+(?:{alternation('setting_after')})\b")
        self.adjacent_re = re.compile(r"^[\s-]*(?:\([A-Za-z]{1,6}\)[\s-]*)?$")

    def find(self, text: str) -> list[tuple[int, int, str, str]]:
        """(start, end, category, the words from the subject to the status and a little after,
        which name the method) of each status word."""
        found = []
        subjects = list(self.subject_re.finditer(text))
        for subject, following in zip(subjects, subjects[1:] + [None]):
            if _STATUS_NOUN.match(text, subject.end()):
                continue  # `MRD positivity persisted`: the phrase is the assessment
            # a later subject starts its own statement
            limit = following.start() if following is not None else len(text)
            for status in self.status_re.finditer(text, subject.end(), limit):
                if status.group("stop"):
                    break
                if self.adjacent_re.match(text[subject.end() : status.start()]):
                    continue  # `MRD negative`, `MRD-negative`: the phrase patterns have it
                if self.setting_re.match(text, status.end()):
                    break  # `MRD positive ALL patients`: a setting, not an assessment
                category = "MRD_NEGATIVE" if status.group("neg") else "MRD_POSITIVE"
                context = text[subject.start() : status.end() + 30]
                found.append((status.start(), status.end(), category, context))
        return found
