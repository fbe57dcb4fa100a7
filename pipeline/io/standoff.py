"""brat standoff (`.ann`): the subset casex reads and writes, by hand.

Text-bound annotations (`T1<TAB>DRUG 10 19<TAB>ponatinib`, fragments `0 8;9 18` where brat
splits a span at a line break), relations (`R1<TAB>DOSE_OF Arg1:T2 Arg2:T1`), attributes
(`A1<TAB>Negated T1`, `A2<TAB>Case T1 case-2`) and notes
(`#1<TAB>AnnotatorNotes T1<TAB>text`). Events, equivalences and normalizations are refused.

Not the `bioc` package (2.1): its reader stops at the first malformed line with a bare
assertion or ValueError that names no line, accepts duplicate ids and dangling references,
drops normalization lines silently, reads the text in the locale's encoding with newline
translation (which shifts every offset after a CRLF), and writes a span holding a line break
as a broken line; it would also bring lxml, docopt, intervaltree and jsonlines for what is
a hundred lines here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

NOTE_TYPE = "AnnotatorNotes"
_LINE_PIECE = re.compile(r"[^\r\n]+")
_ID = re.compile(r"^[TRAM#][0-9]+$")


@dataclass(frozen=True)
class Entity:
    id: str
    type: str
    spans: tuple[tuple[int, int], ...]
    text: str
    line: int = 0


@dataclass(frozen=True)
class Relation:
    id: str
    type: str
    head: str  # Arg1
    tail: str  # Arg2
    line: int = 0


@dataclass(frozen=True)
class Attribute:
    id: str
    name: str
    target: str
    value: str | None = None  # None for a binary attribute
    line: int = 0


@dataclass(frozen=True)
class Note:
    id: str
    target: str
    text: str
    type: str = NOTE_TYPE
    line: int = 0


@dataclass
class Standoff:
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


def fragments(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """The pieces of text[start:end] between line breaks, as brat writes a span."""
    pieces = tuple((match.start(), match.end()) for match in _LINE_PIECE.finditer(text, start, end))
    return pieces or ((start, end),)


def format_standoff(standoff: Standoff) -> str:
    """The `.ann` text of `standoff`; an entity's text is its fragments joined by spaces."""
    lines = [
        f"{e.id}\t{e.type} {';'.join(f'{s} {t}' for s, t in e.spans)}\t{e.text}"
        for e in standoff.entities
    ]
    lines += [f"{r.id}\t{r.type} Arg1:{r.head} Arg2:{r.tail}" for r in standoff.relations]
    lines += [
        f"{a.id}\t{a.name} {a.target}{f' {a.value}' if a.value else ''}"
        for a in standoff.attributes
    ]
    lines += [f"{n.id}\t{n.type} {n.target}\t{n.text}" for n in standoff.notes]
    for line in lines:
        if "\n" in line or "\r" in line:
            raise ValueError(f"a standoff line cannot hold a line break: {line[:40]!r}")
    return "".join(f"{line}\n" for line in lines)


def parse_standoff(content: str) -> tuple[Standoff, list[str]]:
    """The annotations of an `.ann` text, and one problem (`line N: ...`) per line that
    cannot be read, duplicate id or reference to a missing text-bound annotation."""
    standoff, problems, seen = Standoff(), [], set()
    for number, raw in enumerate(content.split("\n"), start=1):
        line = raw.removesuffix("\r")
        if not line.strip():
            continue
        ann_id = line.split("\t", 1)[0]
        try:
            if not _ID.match(ann_id):
                raise ValueError(_unsupported(ann_id))
            if ann_id in seen:
                raise ValueError(f"id {ann_id} is used twice")
            seen.add(ann_id)
            _PARSERS[ann_id[0]](standoff, line, number)
        except ValueError as error:
            problems.append(f"line {number}: {error}")
    entities = {entity.id for entity in standoff.entities}
    for item, ends in (
        *((r, (r.head, r.tail)) for r in standoff.relations),
        *((a, (a.target,)) for a in standoff.attributes),
        *((n, (n.target,)) for n in standoff.notes),
    ):
        for end in ends:
            if end not in entities:
                problems.append(f"line {item.line}: {item.id} refers to {end}, no entity")
    return standoff, problems


def _entity(standoff: Standoff, line: str, number: int) -> None:
    fields = line.split("\t", 2)
    if len(fields) < 2:
        raise ValueError("an entity line is ID, tab, TYPE START END, tab, TEXT")
    label, _, offsets = fields[1].partition(" ")
    spans = []
    for piece in offsets.split(";"):
        numbers = piece.split()
        if len(numbers) != 2 or not all(n.isdigit() for n in numbers):
            raise ValueError(f"{fields[0]} offsets {offsets[:40]!r} are not START END pairs")
        start, end = int(numbers[0]), int(numbers[1])
        if end <= start or (spans and start < spans[-1][1]):
            raise ValueError(f"{fields[0]} offsets {offsets[:40]!r} are not ascending spans")
        spans.append((start, end))
    text = fields[2] if len(fields) == 3 else ""
    standoff.entities.append(Entity(fields[0], label, tuple(spans), text, number))


def _relation(standoff: Standoff, line: str, number: int) -> None:
    ann_id, _, rest = line.partition("\t")
    relation_type, *arguments = rest.split()
    roles = dict(argument.partition(":")[::2] for argument in arguments)
    if set(roles) != {"Arg1", "Arg2"} or len(arguments) != 2:
        raise ValueError(f"{ann_id} is not TYPE Arg1:ID Arg2:ID")
    standoff.relations.append(Relation(ann_id, relation_type, roles["Arg1"], roles["Arg2"], number))


def _attribute(standoff: Standoff, line: str, number: int) -> None:
    ann_id, _, rest = line.partition("\t")
    parts = rest.split()
    if len(parts) not in (2, 3):
        raise ValueError(f"{ann_id} is not NAME TARGET [VALUE]")
    value = parts[2] if len(parts) == 3 else None
    standoff.attributes.append(Attribute(ann_id, parts[0], parts[1], value, number))


def _note(standoff: Standoff, line: str, number: int) -> None:
    fields = line.split("\t", 2)
    note_type, _, target = fields[1].partition(" ") if len(fields) > 1 else ("", "", "")
    if note_type != NOTE_TYPE or not target:
        raise ValueError(f"{fields[0]} is not {NOTE_TYPE} TARGET, tab, TEXT")
    text = fields[2] if len(fields) == 3 else ""
    standoff.notes.append(Note(fields[0], target.strip(), text, note_type, number))


def _unsupported(ann_id: str) -> str:
    kinds = {"E": "events", "N": "normalizations", "*": "equivalences"}
    kind = kinds.get(ann_id[:1])
    if kind:
        return f"brat {kind} ({ann_id[:12]}) are not read by casex"
    return f"{ann_id[:12]!r} is not the id of a brat annotation"


_PARSERS = {"T": _entity, "R": _relation, "A": _attribute, "M": _attribute, "#": _note}
