"""Journal sections: medspaCy's section rules and matcher, headings from patterns/sections.json.

medspaCy's matcher finds the headings, kept when they fill a whole line (medspaCy's
start-of-line and end-of-line checks). medspaCy's Sectionizer component is not used as a
whole because it sets an attribute on every token, 15% of casex's time, for data casex does
not read. This module turns the headings into plain section records with character offsets
and a `skipped` flag, treats the front matter (before the first heading) as skipped except
for the title line, and ends a figure legend at the end of its paragraph so that the text
after it returns to the section it interrupted.
"""

import json
import re
from pathlib import Path

import numpy
from spacy.attrs import IS_SPACE, LOWER
from spacy.language import Language
from spacy.tokens import Doc

from casex.components.spans import pattern_path
from casex.extensions import doc_text, register
from casex.medspacy_parts import MedspacyMatcher, SectionRule, prune_overlapping_matches

FRONT = "front"
TITLE = "title"
FIGURE_CATEGORIES = {"figure", "table"}
# sections that end with their paragraph, the text after them returning to where it was
PARAGRAPH_CATEGORIES = FIGURE_CATEGORIES | {"keywords"}
# Lines of front matter that are never the title: journal furniture and identifiers.
_NOT_TITLE = re.compile(
    r"doi|pmid|pmcid|http|©|skip to|logo|copyright|issn|vol\.|\bpp\."
    # a line of article-type labels only: `CASE REPORT Open Access`
    r"|^\s*(?:(?:case|clinical|research|review|original|short)?\s*(?:report|article|letter|"
    r"communication)|open\s+access|\s)+$",
    re.I,
)


def load_section_rules(path: Path) -> tuple[list[SectionRule], set[str]]:
    """medspaCy rules and the set of categories to skip, from a sections.json file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    rules, skipped = [], set()
    for entry in data["section_rules"]:
        rules.append(SectionRule.from_dict(entry))
        if entry.get("metadata", {}).get("skip"):
            skipped.add(entry["category"])
    return rules, skipped


# A heading fills its line, after an optional number (`2`, `2.1`, `1.`, `II.`), in any case;
# a run-in heading ends in `:` or `.` and its section's text follows on the line
# (`Case presentation. A 54-year-old man ...`); a numbered one may run in without a stop
# (`2.1 Case 1 A 24-year-old woman ...`, as a PDF's run-in sub-heading reads).
_NUMBERING = re.compile(r"[ \t]*(?:(?:\d+(?:\.\d+)*|[IVX]+)\.?[ \t]+)?")
_HEADING_END = re.compile(r"[ \t]*(?:[:.]?[ \t]*(?:\r?\n|$)|[:.][ \t]+(?=\S))")
_NUMBERED_RUN_IN = re.compile(r"[ \t]+(?=[A-Z][a-z]*\b)")
# a structured abstract's label after the sentence before it, its paragraph joined in a PDF
# (`... first remission. Case presentation: A seven-year-old girl ...`)
_SENTENCE_BEFORE = re.compile(r"[.!?][ \t]+$")
_LABEL_END = re.compile(r":[ \t]+(?=[A-Z])")


def is_heading(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] stands as a heading: at the start of its line (after a
    number) and ending the line, or run in."""
    line_start = text.rfind("\n", 0, start) + 1
    if not _NUMBERING.fullmatch(text, line_start, start):
        return bool(
            _SENTENCE_BEFORE.search(text, max(line_start, start - 3), start)
            and _LABEL_END.match(text, end)
        )
    return bool(
        _HEADING_END.match(text, end) or (start > line_start and _NUMBERED_RUN_IN.match(text, end))
    )


@Language.factory("casex_sections", default_config={"rules": "sections.json"})
def create_sections(nlp: Language, name: str, rules: str):
    section_rules, skipped = load_section_rules(pattern_path(rules))
    matcher = LineMatcher(nlp, name=name)
    with nlp.select_pipes(disable=nlp.pipe_names):  # phrase Docs need the tokenizer only
        matcher.add(section_rules)
    return SectionFinder(matcher, skipped)


class LineMatcher(MedspacyMatcher):
    """medspaCy's matcher, its token patterns run only where they can match.

    spaCy's Matcher tries every pattern at every token of a Doc (and makes a Token for each).
    The section patterns start with a listed word (`case`, `figure`, `table`) and match no
    white-space token (`LOWER`/`ORTH` of a word, `LIKE_NUM`, `IS_SPACE: false`), so a match
    lies in a run of tokens between two white-space tokens, from one of those words on. Each
    pattern is a few tokens long, some ending in `IS_SPACE: false` with `+`, which matches to
    every end up to the run's end. The Matcher runs over a window after those words, as long
    as the longest pattern without its `+` and one token more, and a `+` pattern's match that
    reaches the window's end is extended to each later end of the run: the matches it gives
    over the whole Doc. Patterns of any other kind run over the whole Doc, as in medspaCy.
    """

    def __init__(self, nlp: Language, name: str) -> None:
        super().__init__(nlp, name=name)
        self.first_words: set[int] | None = set()  # LOWER ids; None: run over the whole Doc
        self.open_ended: set[int] = set()  # the keys of patterns that end in a `+` token
        self.reach = 0  # the most tokens a pattern matches, a `+` token counted once

    def add(self, rules) -> None:
        super().add(rules)
        for rule in rules:
            if not isinstance(rule.pattern, list) or self.first_words is None:
                continue
            first = rule.pattern[0]
            operators = [token.get("OP") for token in rule.pattern]
            if (
                set(first) == {"LOWER"}
                and all(map(_never_white_space, rule.pattern))
                and not any(operators[:-1])
                and operators[-1] in (None, "+")
            ):
                self.first_words.add(self.nlp.vocab.strings.add(first["LOWER"]))
                if operators[-1] == "+":
                    self.open_ended.add(self.nlp.vocab.strings.add(rule._rule_id))
                self.reach = max(self.reach, len(rule.pattern))
            else:
                self.first_words = None

    def __call__(self, doc: Doc):
        if self.first_words is None:
            return super().__call__(doc)
        token_matcher = self._MedspacyMatcher__matcher
        matches = []
        for start, stop, run_end in _windows(doc, self.first_words, self.reach):
            for key, s, e in token_matcher(doc[start:stop]):
                matches.append((key, start + s, start + e))
                if start + e == stop and key in self.open_ended:
                    matches += [(key, start + s, end) for end in range(stop + 1, run_end + 1)]
        matches += self._MedspacyMatcher__phrase_matcher(doc)
        matches += self._MedspacyMatcher__regex_matcher(doc)
        return prune_overlapping_matches(matches) if self._prune else matches


def _never_white_space(token: dict) -> bool:
    """Whether a token pattern matches no white-space token."""
    checks = {key: value for key, value in token.items() if key != "OP"}
    if len(checks) != 1:
        return False
    ((key, value),) = checks.items()
    if key in ("LOWER", "ORTH"):
        return isinstance(value, str) and bool(value) and not any(c.isspace() for c in value)
    return (key, value) in (("LIKE_NUM", True), ("IS_SPACE", False))


def _windows(doc: Doc, words: set[int], reach: int) -> list[tuple[int, int, int]]:
    """(start, stop, run end) of the windows to match in: from each of `words` in a run of
    non-space tokens, `reach` tokens long but within the run (joined when they overlap), and
    the end of the run each lies in."""
    lowers, spaces = doc.to_array(LOWER), doc.to_array(IS_SPACE).astype(bool)
    hits = numpy.flatnonzero(numpy.isin(lowers, numpy.array(sorted(words), dtype=lowers.dtype)))
    breaks = numpy.flatnonzero(spaces)
    windows: list[tuple[int, int, int]] = []
    for start in hits.tolist():
        after = numpy.searchsorted(breaks, start)
        run_end = int(breaks[after]) if after < len(breaks) else len(doc)
        stop = min(start + reach, run_end)
        if windows and start < windows[-1][1]:  # within the last window: it grows
            windows[-1] = (windows[-1][0], stop, run_end)
        else:
            windows.append((start, stop, run_end))
    return windows


class SectionFinder:
    """Sets `doc._.casex_sections`: plain section records over the whole text."""

    def __init__(self, matcher: MedspacyMatcher, skip_categories: set[str]) -> None:
        register()
        self.matcher = matcher
        self.skip_categories = skip_categories

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        found = [
            (start, end, self.matcher.rule_map[doc.vocab.strings[match_id]].category)
            for match_id, start, end in self.matcher(doc)
            if is_heading(text, doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text))
        ]
        # each heading's section runs to the next heading, the last one's to the text's end
        stops = [start for start, _, _ in found[1:]] + [len(doc)]
        headings = [
            (category, doc[start:end], _end_char(doc, text, end, stop))
            for (start, end, category), stop in zip(found, stops)
        ]
        doc._.casex_sections = section_records(text, headings, self.skip_categories)
        return doc


def _end_char(doc: Doc, text: str, start: int, stop: int) -> int:
    """Where the tokens doc[start:stop] end, as their Span's `end_char` (without making the
    Span: an empty one at the Doc's end joins the whole text again)."""
    if start == stop:
        return doc[start].idx if start < len(doc) else len(text)
    last = doc[stop - 1]
    return last.idx + len(last)


def section_records(text: str, headings: list, skip_categories: set[str]) -> list[dict]:
    """Plain section records covering the whole text, in order; `headings` are (category,
    title span, end of the section's text)."""
    if not headings:
        # a note without journal headings is all content, after its title line if it has one
        title = _leading_title(text)
        if title is None:
            return [_record("", "body", 0, len(text), False)]
        start, end = title
        return _records(
            (FRONT, 0, start),
            (TITLE, start, end),
            ("body", end, len(text)),
            title=text[start:end].strip(),
        )
    records: list[dict] = list(_front_matter(text, 0, headings[0][1].start_char))
    enclosing: dict | None = None
    for category, title, section_end in headings:
        record = _record(
            title.text.strip(),
            category,
            title.start_char,
            section_end,
            category in skip_categories,
        )
        if category in PARAGRAPH_CATEGORIES:
            # a heading alone on its line heads the paragraph after it; a run-in one
            # (`Keywords: a; b`, `Fig. 1 Legend`) is part of its own paragraph
            line_end = text.find("\n", title.end_char)
            run_in = text[title.end_char : line_end if line_end != -1 else len(text)].strip()
            run_in = run_in or re.search(r":\s*\S", title.text)
            legend_end = _paragraph_end(text, title.start_char if run_in else title.end_char)
            if legend_end < section_end:
                record["end"] = legend_end
                records.append(record)
                # the text after it returns to the section it interrupted, or is body text
                # (a `Keywords:` line before any heading does not take the report with it)
                before = enclosing or _record("", "body", 0, 0, False)
                records.append(dict(before, start=legend_end, end=section_end))
                continue
        else:
            enclosing = record
        records.append(record)
    return records


def _record(title: str, category: str, start: int, end: int, skipped: bool) -> dict:
    return {"title": title, "category": category, "start": start, "end": end, "skipped": skipped}


def _front_matter(text: str, start: int, end: int) -> list[dict]:
    """Front matter is skipped, but for the first line that reads like a title and for the
    prose after the author lines (a report whose first heading is `Declarations` is a
    narrative, not front matter); a text that opens with prose has no title."""
    for line in re.finditer(r"[^\n]+", text[start:end]):
        l_start, l_end = start + line.start(), start + line.end()
        if _is_prose(line.group()):
            return _records((FRONT, start, l_start), ("body", l_start, end))
        words = line.group().split()
        if len(words) >= 4 and line.group().count(",") < 3 and not _NOT_TITLE.search(line.group()):
            p_start = next((p for p in _prose_lines(text, l_end, end)), end)
            return _records(
                (FRONT, start, l_start),
                (TITLE, l_start, l_end),
                (FRONT, l_end, p_start),
                ("body", p_start, end),
                title=line.group().strip(),
            )
    return _records((FRONT, start, end))


# the words a wrapped line of prose may end with, never a title
_OPEN_END = re.compile(
    r"(?:[,;:(/-]|\b(?:and|or|of|with|the|a|an|to|in|for|on|at|by|was|were|is|are|from))\s*$",
    re.I,
)


def _leading_title(text: str) -> tuple[int, int] | None:
    """The first line of a text without headings, when it reads as a title: three words or
    more, no sentence end, not an open end of wrapped prose, and the next line starting a
    sentence (`Caplacizumab in a first episode of immune TTP`)."""
    first = re.search(r"[^\n]*\S[^\n]*", text)
    if first is None:
        return None
    line = first.group()
    after = re.compile(r"\n\s*(\S)").match(text, first.end())
    words = line.split()
    if (
        after is None
        or not (after.group(1).isupper() or after.group(1).isdigit())
        or not 3 <= len(words) <= 30
        or _is_prose(line)
        or re.search(r"[.!?]\s*$", line)
        or _OPEN_END.search(line)
        or line.count(",") >= 3
        or _NOT_TITLE.search(line)
    ):
        return None
    return first.start(), first.end()


def _records(*parts: tuple[str, int, int], title: str = "") -> list[dict]:
    """Section records of the non-empty parts; front matter skipped."""
    return [
        _record(title if category == TITLE else "", category, s, e, category == FRONT)
        for category, s, e in parts
        if e > s
    ]


# a line of prose: eight words or more, a sentence end, no journal identifiers or dates
_PROSE = re.compile(
    r"(?=(?:\S+\s+){7,}\S)(?!.*(?:doi|http|©|@|\b(?:received|accepted|revised|published)\b"
    r".{0,12}\b(?:19|20)\d\d\b)).*[.!?]\s*$",
    re.I,
)


def _is_prose(line: str) -> bool:
    """At most two words in five capitalised: author and affiliation lines are names."""
    words = line.split()
    return bool(_PROSE.match(line)) and 5 * sum(w[0].isupper() for w in words) <= 2 * len(words)


def _prose_lines(text: str, start: int, end: int):
    """Starts of the lines of prose between `start` and `end`."""
    for line in re.finditer(r"[^\n]+", text[start:end]):
        if _is_prose(line.group()):
            yield start + line.start()


def _paragraph_end(text: str, position: int) -> int:
    """End of the first non-empty paragraph after `position` (a blank line ends it)."""
    match = re.compile(r"\S").search(text, position)
    if not match:
        return len(text)
    blank = re.compile(r"\n\s*\n").search(text, match.start())
    return blank.start() if blank else len(text)
