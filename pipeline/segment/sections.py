"""Journal sections: medspaCy's Sectionizer with heading rules from patterns/sections.json.

The Sectionizer finds the headings; this module turns its result into plain section
records with character offsets and a `skipped` flag, treats the front matter (before the
first heading) as skipped except for the title line, and ends a figure legend at the end
of its paragraph so that the text after it returns to the section it interrupted.
"""

import json
import re
from pathlib import Path

from medspacy.section_detection import SectionRule
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.extensions import register

FRONT = "front"
TITLE = "title"
FIGURE_CATEGORIES = {"figure", "table"}
# Lines of front matter that are never the title: journal furniture and identifiers.
_NOT_TITLE = re.compile(r"doi|pmid|pmcid|http|©|skip to|logo|copyright|issn|vol\.|\bpp\.", re.I)


def load_section_rules(path: Path) -> tuple[list[SectionRule], set[str]]:
    """medspaCy rules and the set of categories to skip, from a sections.json file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    rules, skipped = [], set()
    for entry in data["section_rules"]:
        rules.append(SectionRule.from_dict(entry))
        if entry.get("metadata", {}).get("skip"):
            skipped.add(entry["category"])
    return rules, skipped


@Language.factory("casex_sections", default_config={"skip_categories": []})
def create_section_records(nlp: Language, name: str, skip_categories: list[str]):
    return SectionRecords(set(skip_categories))


class SectionRecords:
    """Turns medspaCy's `doc._.sections` into `doc._.casex_sections` (plain records)."""

    def __init__(self, skip_categories: set[str]) -> None:
        register()
        self.skip_categories = skip_categories

    def __call__(self, doc: Doc) -> Doc:
        headings = [
            (s.category, doc[s.title_start : s.title_end], doc[s.body_start : s.body_end])
            for s in doc._.sections
            if s.category is not None
        ]
        doc._.casex_sections = section_records(doc.text, headings, self.skip_categories)
        return doc


def section_records(text: str, headings: list, skip_categories: set[str]) -> list[dict]:
    """Plain section records covering the whole text, in order."""
    if not headings:
        # a note without journal headings is all content
        return [_record("", "body", 0, len(text), False)]
    records: list[dict] = list(_front_matter(text, 0, headings[0][1].start_char))
    enclosing: dict | None = None
    for category, title, body in headings:
        record = _record(
            title.text.strip(),
            category,
            title.start_char,
            body.end_char,
            category in skip_categories,
        )
        if category in FIGURE_CATEGORIES:
            legend_end = _paragraph_end(text, title.end_char)
            if legend_end < body.end_char and enclosing is not None:
                record["end"] = legend_end
                records.append(record)
                resumed = dict(enclosing, start=legend_end, end=body.end_char)
                records.append(resumed)
                continue
        else:
            enclosing = record
        records.append(record)
    return records


def _record(title: str, category: str, start: int, end: int, skipped: bool) -> dict:
    return {"title": title, "category": category, "start": start, "end": end, "skipped": skipped}


def _front_matter(text: str, start: int, end: int) -> list[dict]:
    """Front matter is skipped, but for the first line that reads like a title."""
    if end <= start:
        return []
    for line in re.finditer(r"[^\n]+", text[start:end]):
        words = line.group().split()
        if len(words) >= 4 and line.group().count(",") < 3 and not _NOT_TITLE.search(line.group()):
            t_start, t_end = start + line.start(), start + line.end()
            return [
                r
                for r in (
                    _record("", FRONT, start, t_start, True),
                    _record(line.group().strip(), TITLE, t_start, t_end, False),
                    _record("", FRONT, t_end, end, True),
                )
                if r["end"] > r["start"]
            ]
    return [_record("", FRONT, start, end, True)]


def _paragraph_end(text: str, position: int) -> int:
    """End of the first non-empty paragraph after `position` (a blank line ends it)."""
    match = re.compile(r"\S").search(text, position)
    if not match:
        return len(text)
    blank = re.compile(r"\n\s*\n").search(text, match.start())
    return blank.start() if blank else len(text)
