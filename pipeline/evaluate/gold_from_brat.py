"""Gold from a brat folder a curator corrected (`casex brat-import`; the folder is the one
`casex brat-export` wrote, edited in brat or INCEpTION).

Each `<doc_id>.ann` beside its `<doc_id>.txt` becomes one gold document: an entity is a
mention (a span brat split at line breaks is joined again), its Negated, Uncertain,
Historical and Hypothetical attributes are its flags, its Case attribute its case_id, and its
AnnotatorNotes note the JSON object of its normalized fields (a key left out is null). The
gold's `text_sha256` and cases come from `casex-brat.json`, as the export kept them from the
record, when the `.txt` is still the exported one. Every problem names its file and line;
a report with a problem is refused, the others become gold.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from casex.brat import CASE_ATTRIBUTE, EXPORTED, FLAG_ATTRIBUTES, read_exported
from casex.evaluate.gold import CASE_KEYS, GoldError, assemble_gold, case_problems
from casex.io.doc_ids import doc_id_problem, shown_doc_id
from casex.io.standoff import Entity, Standoff, parse_standoff
from casex.labels import FLAGS, LABEL_KEYS

_FLAG_OF = {name: flag for flag, name in FLAG_ATTRIBUTES.items()}


def gold_from_brat(brat_dir: Path) -> tuple[list[dict], list[dict]]:
    """Gold documents of the `.ann` files in `brat_dir`, and one failure
    ({"doc_id", "reason"}) per problem of a document that is refused."""
    if not brat_dir.is_dir():
        raise FileNotFoundError(f"no brat folder {brat_dir}")
    exported = read_exported(brat_dir)
    documents, failures = [], []
    for ann_path in sorted(brat_dir.glob("*.ann")):
        doc_id = ann_path.name.removesuffix(".ann")
        if doc_id_problem(doc_id):
            reason = f"{ann_path.name}: doc_id cannot name a file: {doc_id_problem(doc_id)}"
            failures.append({"doc_id": shown_doc_id(doc_id), "reason": reason})
            continue
        try:
            documents.append(brat_document(brat_dir, doc_id, exported.get(doc_id)))
        except GoldError as error:
            failures += [{"doc_id": doc_id, "reason": problem} for problem in error.problems]
    return documents, failures


def brat_document(brat_dir: Path, doc_id: str, exported: dict | None) -> dict:
    """The gold document of `<doc_id>.ann` and `<doc_id>.txt`; GoldError names each problem."""
    text_path, ann_path = brat_dir / f"{doc_id}.txt", brat_dir / f"{doc_id}.ann"
    try:
        data = text_path.read_bytes()
        text = data.decode("utf-8")
        content = ann_path.read_text(encoding="utf-8")
    except OSError as error:
        raise GoldError([f"cannot read {error.filename}: {error.strerror}"]) from None
    except UnicodeDecodeError:
        raise GoldError([f"{text_path.name} or {ann_path.name} is not UTF-8 text"]) from None
    text_sha256, cases = hashlib.sha256(data).hexdigest(), []
    if exported:
        if exported.get("txt_sha256") != text_sha256:
            raise GoldError(
                [f"{text_path.name} changed since `casex brat-export` wrote it: the report "
                 f"text must stay as exported"]
            )  # fmt: skip
        text_sha256 = str(exported.get("record_sha256"))
        cases = [case for case in exported.get("cases") or [] if isinstance(case, dict)]
    standoff, problems = parse_standoff(content)
    problems = [f"{ann_path.name} {problem}" for problem in problems]
    mentions = _mentions(standoff, text, ann_path.name, problems)
    if problems:
        raise GoldError(problems)
    relations = [
        {
            "where": f"{ann_path.name} line {r.line} ({r.id})",
            "type": r.type,
            "head": r.head,
            "tail": r.tail,
        }
        for r in standoff.relations
    ]
    return assemble_gold(
        doc_id, text, text_sha256, mentions, relations, _cases(cases, mentions, ann_path.name)
    )


def _mentions(standoff: Standoff, text: str, where: str, problems: list[str]) -> list[dict]:
    """Curated mentions of the entities, adding to `problems` what does not fit."""
    attributes: dict[str, list] = {entity.id: [] for entity in standoff.entities}
    for attribute in standoff.attributes:
        attributes[attribute.target].append(attribute)
    notes: dict[str, list] = {entity.id: [] for entity in standoff.entities}
    for note in standoff.notes:
        notes[note.target].append(note)
    mentions = []
    for entity in standoff.entities:
        place = f"{where} line {entity.line} ({entity.id})"
        found = _span_problems(entity, text)
        mention = {
            "where": place,
            "key": entity.id,
            "label": entity.type,
            "text": entity.text,
            "start": entity.spans[0][0],
            "end": entity.spans[-1][1],
            **dict.fromkeys(FLAGS, False),
            "case_id": None,
        }
        for attribute in attributes[entity.id]:
            if attribute.name in _FLAG_OF and attribute.value is None:
                mention[_FLAG_OF[attribute.name]] = True
            elif attribute.name == CASE_ATTRIBUTE and attribute.value:
                mention["case_id"] = attribute.value
            else:
                problems.append(
                    f"{where} line {attribute.line} ({attribute.id}): {attribute.name} is "
                    f"neither a flag ({', '.join(_FLAG_OF)}) nor {CASE_ATTRIBUTE} with a case id"
                )
        mention["normalized"], problem = _normalized(entity, notes[entity.id], where)
        problems += [f"{place}: {problem}" for problem in found]
        problems += [problem] if problem else []
        mentions.append(mention)
    return mentions


def _span_problems(entity: Entity, text: str) -> list[str]:
    """A span brat split at line breaks is one mention; other gaps are not."""
    for (_, end), (start, _) in zip(entity.spans, entity.spans[1:]):
        if text[end:start].strip():
            return ["a discontinuous span (fragments apart) cannot be a gold mention"]
    return []


def _normalized(entity: Entity, notes: list, where: str) -> tuple[dict, str | None]:
    """The normalized fields of an entity from its note, or what is wrong with the note."""
    keys = LABEL_KEYS.get(entity.type, ())
    template = json.dumps(dict.fromkeys(keys))
    if len(notes) != 1:
        count = "no note" if not notes else f"{len(notes)} notes"
        return {}, (
            f"{where} line {entity.line} ({entity.id}): {count}; its normalized fields are "
            f"one AnnotatorNotes JSON object: {template}"
        )
    place = f"{where} line {notes[0].line} ({notes[0].id})"
    try:
        fields = json.loads(notes[0].text)
    except json.JSONDecodeError as error:
        return {}, f"{place}: the note of {entity.id} is not JSON ({error.msg})"
    if not isinstance(fields, dict):
        return {}, f"{place}: the note of {entity.id} is not a JSON object such as {template}"
    return {**dict.fromkeys(keys), **fields}, None


def _cases(exported: list[dict], mentions: list[dict], where: str) -> list[dict]:
    """The record's cases as exported, and a bare case for each other case_id used."""
    cases = [{key: case.get(key) for key in CASE_KEYS} for case in exported]
    known = {case["case_id"] for case in cases}
    for mention in mentions:
        bare = dict.fromkeys(CASE_KEYS) | {"case_id": mention["case_id"]}
        # A case_id that is no case id is the mention's problem, named there.
        if mention["case_id"] not in known and not case_problems(bare):
            known.add(mention["case_id"])
            cases.append(bare)
    return [case | {"where": f"{EXPORTED} or {where}"} for case in cases]
