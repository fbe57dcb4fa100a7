"""Records as a brat folder, for curators who correct spans in brat or INCEpTION
(`casex brat-export`; `casex brat-import` reads the folder back as gold).

Per report, `<doc_id>.txt` (the record's text, UTF-8) and `<doc_id>.ann` (brat standoff):

- one text-bound annotation per mention, typed by its label (`T7` for mention `m7`);
- its relations (DOSE_OF, VALUE_OF, RESPONSE_TO, CAUSED_BY), Arg1 the head, Arg2 the tail;
- binary attributes Negated, Uncertain, Historical, Hypothetical, and `Case` with its case id;
- its normalized fields as the JSON object of an AnnotatorNotes note, for the curator to edit.

Beside them `annotation.conf` and `visual.conf` (every label of the spec, extended ones too),
and `casex-brat.json`, which keeps each report's record sha256 and cases so that the gold made
from the folder is accepted by `casex evaluate`. A re-export never overwrites a file a curator
edited (`casex.io.written_files`).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import NamedTuple

from casex.io.doc_ids import DocIdError, checked_doc_id
from casex.io.records import load_records
from casex.io.standoff import (
    Attribute,
    Entity,
    Note,
    Relation,
    Standoff,
    format_standoff,
    fragments,
)
from casex.io.written_files import write_files
from casex.labels import FLAGS, LABEL_COLORS, LABELS, RELATION_ENDS

FLAG_ATTRIBUTES = dict(zip(FLAGS, ("Negated", "Uncertain", "Historical", "Hypothetical")))
CASE_ATTRIBUTE = "Case"
EXPORTED = "casex-brat.json"
MIN_CASE_VALUES = 9  # case-1 ... case-9 at least, so that a curator can add a patient
_FLAG_DRAWING = {
    "Negated": "box:crossed, glyph:<NONE>, dashArray:<NONE>",
    "Uncertain": "glyph:?",
    "Historical": "glyph:(past)",
    "Hypothetical": "dashArray:3-3, glyph:<NONE>",
}


class BratExport(NamedTuple):
    documents: int
    paths: list[Path]
    failures: list[dict]  # {"file", "reason"}


def export_brat(pred_dir: Path, out_dir: Path, force: bool = False) -> BratExport:
    """Write the brat folder of the records in `pred_dir` to `out_dir`; EditedFilesError
    (nothing written) for a file edited since the last export, unless `force`."""
    records, failures = load_records(pred_dir)
    contents: dict[str, bytes] = {}
    exported = read_exported(out_dir)
    for record in records:
        try:
            doc_id = checked_doc_id(record["doc_id"])
        except DocIdError as error:
            failures.append({"file": str(pred_dir), "reason": str(error)})
            continue
        text = record["text"].encode("utf-8")
        contents[f"{doc_id}.txt"] = text
        contents[f"{doc_id}.ann"] = format_standoff(record_standoff(record)).encode("utf-8")
        exported[doc_id] = {
            "record_sha256": record["sha256"],
            "txt_sha256": hashlib.sha256(text).hexdigest(),
            "source": record["source"],
            "cases": record["cases"],
        }
    case_values = _case_values(records)
    contents["annotation.conf"] = annotation_conf(case_values).encode("utf-8")
    contents["visual.conf"] = visual_conf(case_values).encode("utf-8")
    documents = json.dumps({"documents": dict(sorted(exported.items()))}, indent=1)
    contents[EXPORTED] = documents.encode("utf-8")
    paths = write_files(out_dir, contents, force=force)
    return BratExport(len(records) - len(failures), paths, failures)


def read_exported(brat_dir: Path) -> dict[str, dict]:
    """doc_id -> what the export kept of its record (`record_sha256`, `txt_sha256`, `cases`);
    empty when the folder has no readable `casex-brat.json`."""
    try:
        documents = json.loads((brat_dir / EXPORTED).read_text(encoding="utf-8"))["documents"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    return documents if isinstance(documents, dict) else {}


def record_standoff(record: dict) -> Standoff:
    """The brat annotations of one record."""
    text, standoff = record["text"], Standoff()
    entity_ids = {m["id"]: f"T{n}" for n, m in enumerate(record["mentions"], start=1)}
    for mention in record["mentions"]:
        entity_id = entity_ids[mention["id"]]
        spans = fragments(text, mention["start"], mention["end"])
        covered = " ".join(text[start:end] for start, end in spans)
        standoff.entities.append(Entity(entity_id, mention["label"], spans, covered))
        values = [(FLAG_ATTRIBUTES[flag], None) for flag in FLAGS if mention[flag]]
        if mention["case_id"]:
            values.append((CASE_ATTRIBUTE, mention["case_id"]))
        for name, value in values:
            attribute_id = f"A{len(standoff.attributes) + 1}"
            standoff.attributes.append(Attribute(attribute_id, name, entity_id, value))
        note = json.dumps(mention["normalized"], ensure_ascii=False)
        standoff.notes.append(Note(f"#{len(standoff.notes) + 1}", entity_id, note))
    standoff.relations += [
        Relation(f"R{n}", r["type"], entity_ids[r["head"]], entity_ids[r["tail"]])
        for n, r in enumerate(record["relations"], start=1)
    ]
    return standoff


def annotation_conf(case_values: list[str]) -> str:
    """brat's `annotation.conf`: the labels, relations and attributes of the spec."""
    relations = [
        f"{relation}\tArg1:{head}, Arg2:{'|'.join(tails) if tails else '<ENTITY>'}"
        for relation, (head, tails) in RELATION_ENDS.items()
    ]
    # Mentions may overlap (a dose inside a regimen's phrase): brat must not refuse them.
    relations.append("<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>")
    attributes = [f"{name}\tArg:<ENTITY>" for name in FLAG_ATTRIBUTES.values()]
    attributes.append(f"{CASE_ATTRIBUTE}\tArg:<ENTITY>, Value:{'|'.join(case_values)}")
    return _conf(
        {"entities": list(LABELS), "relations": relations, "events": [], "attributes": attributes}
    )


def visual_conf(case_values: list[str]) -> str:
    """brat's `visual.conf`: readable names and the review pages' colours."""
    labels = [f"{label} | {label.replace('_', ' ').capitalize()}" for label in LABELS]
    labels += [f"{relation} | {relation.replace('_', ' ').lower()}" for relation in RELATION_ENDS]
    drawing = [
        "SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken",
        "ARC_DEFAULT\tcolor:black, arrowHead:triangle-5",
        "ATTRIBUTE_DEFAULT\tglyph:*",
        *(f"{label}\tbgColor:{LABEL_COLORS[label]}" for label in LABELS),
        *(f"{name}\t{drawing}" for name, drawing in _FLAG_DRAWING.items()),
        f"{CASE_ATTRIBUTE}\tglyph:{'|'.join(value.replace('case-', 'c') for value in case_values)}",
    ]
    return _conf({"labels": labels, "drawing": drawing})


def _conf(sections: dict[str, list[str]]) -> str:
    """A brat configuration file: `[section]` headings, each followed by its lines."""
    return "\n".join(
        f"[{name}]\n" + "".join(f"{line}\n" for line in lines) for name, lines in sections.items()
    )


def _case_values(records: list[dict]) -> list[str]:
    numbers = [
        int(match.group(1))
        for record in records
        for mention in record["mentions"]
        if mention["case_id"] and (match := re.fullmatch(r"case-(\d+)", mention["case_id"]))
    ]
    return [f"case-{n}" for n in range(1, max([MIN_CASE_VALUES, *numbers]) + 1)]
