"""Gold documents (EXTRACTION_SPEC section 7): the only code that knows their shape.

`read_gold` loads `.jsonl` files and checks each document's shape; `text_problems` checks a
document against the text it annotates; `assemble_gold` builds a document from curated
mentions (a table, a brat folder); `write_gold` writes one file per document. A problem is one
line that names its place (`gold.jsonl:3: g4: start '12' is not a whole number`,
`mentions.csv row 5: ...`) and never quotes the report text.

Gold files are checked for what scoring relies on (keys, types, spans, ids, labels); gold
made from curated input is held to the spec's values too (enumerations, number types, case
ids), so that a curator's typo is named where it was made.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import jsonschema

from casex.io.doc_ids import doc_file, doc_id_problem, shown_doc_id, shown_value
from casex.io.writers import write_text_atomic
from casex.labels import FLAGS, GOLD_OPTIONAL, LABELS, NORMALIZED, RELATION_TYPES, SEXES

log = logging.getLogger(__name__)

DOCUMENT_KEYS = ("doc_id", "text_sha256", "mentions", "relations", "cases")
MENTION_KEYS = ("id", "label", "text", "start", "end", "case_id", *FLAGS, "normalized")
CASE_KEYS = ("case_id", "age", "sex", "diagnosis")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CASE_ID = re.compile(r"^case-[0-9]+$")
_VALIDATORS = {
    label: jsonschema.Draft202012Validator({"type": "object", "properties": properties})
    for label, properties in NORMALIZED.items()
}


class GoldError(ValueError):
    """Gold that does not fit the spec or its text; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def read_gold(path: Path) -> tuple[list[dict], list[str]]:
    """Gold documents from a .jsonl file or every .jsonl file in a folder, each with
    `_where` (`file:line`), and one problem per line that is not a gold document."""
    if path.is_dir():
        files = sorted(path.glob("*.jsonl"))
        if not files:
            return [], [f"{path}: no .jsonl gold file in this folder"]
    else:
        files = [path]
    documents, problems, first_line = [], [], {}
    for file in files:
        try:
            lines = file.read_text(encoding="utf-8").split("\n")
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or error
            problems.append(f"{file.name}: cannot read gold: {reason}")
            continue
        if not any(line.strip() for line in lines):
            problems.append(f"{file.name}: empty gold file (no document)")
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{file.name}:{number}"
            try:
                document = json.loads(line)
            except json.JSONDecodeError as error:
                problems.append(f"{where}: not JSON ({error.msg} at column {error.colno})")
                continue
            found = document_problems(document)
            if not found and document["doc_id"] in first_line:
                found = [f"doc_id {document['doc_id']} is also at {first_line[document['doc_id']]}"]
            problems += [f"{where}: {problem}" for problem in found]
            if not found:
                first_line[document["doc_id"]] = where
                documents.append({**document, "_where": where})
    return documents, problems


def load_gold(path: Path) -> list[dict]:
    """Gold documents as `read_gold` finds them; GoldError naming every problem."""
    documents, problems = read_gold(path)
    if problems:
        raise GoldError(problems)
    return documents


def document_problems(document: object) -> list[str]:
    """What keeps `document` from being a gold document of the spec's shape."""
    if not isinstance(document, dict):
        return ["a gold line is a JSON object"]
    missing = [key for key in DOCUMENT_KEYS if key not in document]
    if missing:
        return [f"no {', '.join(missing)}"]
    problems = []
    if doc_id_problem(document["doc_id"]):
        problems.append(
            f"doc_id {shown_doc_id(document['doc_id'])} cannot name a file: "
            f"{doc_id_problem(document['doc_id'])}"
        )
    if not isinstance(document["text_sha256"], str) or not _SHA256.match(document["text_sha256"]):
        problems.append("text_sha256 is not a SHA-256 hex digest")
    problems += [
        f"{key} is not a list" for key in DOCUMENT_KEYS[2:] if not isinstance(document[key], list)
    ]
    if problems:
        return problems
    ids: set[str] = set()
    for number, mention in enumerate(document["mentions"], start=1):
        found = mention_problems(mention)
        name = mention["id"] if _has_text(mention, "id") else f"mention {number}"
        if not found and mention["id"] in ids:
            found = ["id is used twice"]
        if _has_text(mention, "id"):
            ids.add(mention["id"])
        problems += [f"{name}: {problem}" for problem in found]
    for number, relation in enumerate(document["relations"], start=1):
        problems += [f"relation {number}: {p}" for p in relation_problems(relation, ids)]
    for number, case in enumerate(document["cases"], start=1):
        if not isinstance(case, dict) or not isinstance(case.get("case_id"), str):
            problems.append(f"case {number}: a case is a JSON object with a case_id")
    return problems


def mention_problems(mention: object) -> list[str]:
    """What keeps `mention` from being a gold mention (its text is checked elsewhere)."""
    if not isinstance(mention, dict):
        return ["a mention is a JSON object"]
    missing = [key for key in MENTION_KEYS if key not in mention]
    if missing:
        return [f"no {', '.join(missing)}"]
    problems = [
        f"{key} is not a non-empty text" for key in ("id", "text") if not _has_text(mention, key)
    ]
    return problems + field_problems(mention, strict=False)


def field_problems(mention: dict, strict: bool) -> list[str]:
    """Problems of a mention's label, span, flags, case_id and normalized keys, and when
    `strict` of its case_id's form and its normalized values."""
    label = mention["label"]
    if label not in NORMALIZED:
        return [f"label {shown_value(label)} is not one of {', '.join(LABELS)}"]
    problems = span_problems(mention["start"], mention["end"])
    problems += [
        f"{flag} {shown_value(mention[flag])} is not true or false"
        for flag in FLAGS
        if not isinstance(mention[flag], bool)
    ]
    case_id = mention["case_id"]
    if case_id is not None and not (
        isinstance(case_id, str) and (_CASE_ID.match(case_id) or not strict)
    ):
        problems.append(f"case_id {shown_value(case_id)} is not case-1, case-2, ... or null")
    return problems + normalized_problems(label, mention["normalized"], strict)


def span_problems(start: object, end: object) -> list[str]:
    """Why (start, end) is not a span of character offsets."""
    for name, value in (("start", start), ("end", end)):
        if not _is_whole(value):
            return [f"{name} {shown_value(value)} is not a whole number"]
    if start < 0:
        return [f"start {start} is negative"]
    if end <= start:
        return [f"end {end} is not after start {start}"]
    return []


def normalized_problems(label: str, normalized: object, strict: bool) -> list[str]:
    """Why `normalized` does not hold the label's keys (and perhaps its optional ones, such as
    a DRUG's `drugbank_id`), with values of the spec when `strict`."""
    if not isinstance(normalized, dict):
        return ["normalized is not a JSON object"]
    optional = set(GOLD_OPTIONAL.get(label, ()))
    required = set(NORMALIZED[label]) - optional
    if not required <= set(normalized) <= required | optional:
        expected = sorted(required) + [f"{key}?" for key in sorted(optional)]
        return [f"normalized keys {sorted(normalized)}; a {label} has {expected}"]
    if not strict:
        return []
    return [
        f"normalized {error.path[0]}: {error.message}"
        for error in _VALIDATORS[label].iter_errors(normalized)
    ]


def relation_problems(relation: object, ids: set[str]) -> list[str]:
    """Why `relation` is not a relation between two of the mentions `ids`."""
    if not isinstance(relation, dict) or any(k not in relation for k in ("type", "head", "tail")):
        return ["a relation is a JSON object with type, head and tail"]
    problems = []
    if relation["type"] not in RELATION_TYPES:
        problems.append(
            f"type {shown_value(relation['type'])} is not one of {', '.join(RELATION_TYPES)}"
        )
    for end in ("head", "tail"):
        if not isinstance(relation[end], str) or relation[end] not in ids:
            problems.append(f"{end} {shown_value(relation[end])} is no mention of this document")
    return problems


def case_problems(case: object) -> list[str]:
    """Why `case` is not a case of the spec (case_id, age, sex, diagnosis)."""
    if not isinstance(case, dict) or any(key not in case for key in CASE_KEYS):
        return [f"a case is a JSON object with {', '.join(CASE_KEYS)}"]
    problems = []
    if not isinstance(case["case_id"], str) or not _CASE_ID.match(case["case_id"]):
        problems.append(f"case_id {shown_value(case['case_id'])} is not case-1, case-2, ...")
    if case["age"] is not None and not (_is_whole(case["age"]) and case["age"] >= 0):
        problems.append(f"age {shown_value(case['age'])} is not a whole number of years")
    if case["sex"] is not None and case["sex"] not in SEXES:
        problems.append(f"sex {shown_value(case['sex'])} is not female, male or null")
    if case["diagnosis"] is not None and not isinstance(case["diagnosis"], str):
        problems.append(f"diagnosis {shown_value(case['diagnosis'])} is not a text")
    return problems


def text_problems(document: dict, text: str, sha256: str, origin: str) -> list[str]:
    """Why a well-shaped gold document does not annotate `text` (read from `origin`, whose
    identity is `sha256`): another text, or a mention whose offsets miss its text."""
    if document["text_sha256"] != sha256:
        return [
            f"text_sha256 {document['text_sha256'][:12]}… is not the sha256 of {origin} "
            f"({sha256[:12]}…): the gold annotates another version of the report"
        ]
    return [
        f"{mention['id']}: {problem}"
        for mention in document["mentions"]
        if (problem := span_text_problem(mention, text, exact=True))
    ]


def validate_gold(document: dict, text: str, sha256: str, origin: str = "the text") -> None:
    """GoldError naming every problem of shape, hash or offsets of one gold document."""
    problems = document_problems(document) or text_problems(document, text, sha256, origin)
    if problems:
        where = document.get("_where", shown_doc_id(document.get("doc_id")))
        raise GoldError([f"{where}: {problem}" for problem in problems])


def span_text_problem(mention: dict, text: str, exact: bool) -> str | None:
    """Why the report text at the mention's offsets is not its text (whitespace may differ
    unless `exact`); the message says where that text is found instead, never the report."""
    start, end, expected = mention["start"], mention["end"], mention["text"]
    if end > len(text):
        return f"end {end} is past the end of the report text ({len(text)} characters)"
    if not isinstance(expected, str) or not expected.strip():
        return "no text"
    found = text[start:end]
    if (found == expected) if exact else (found.split() == expected.split()):
        return None
    hint = ""
    at = _nearest(text, expected, start)
    if at is not None:
        hint = f"; that text is at {at}:{at + len(expected)}"
    return f"text {shown_value(expected)} is not the report text at {start}:{end}{hint}"


def assemble_gold(
    doc_id: str,
    text: str,
    text_sha256: str,
    mentions: list[dict],
    relations: list[dict],
    cases: list[dict],
) -> dict:
    """A gold document from curated mentions; GoldError names every problem.

    Each mention has the gold mention's fields but `id` (its `text` may differ from the
    report's in whitespace: the report's is kept), plus `where` (its table row or file line,
    for messages) and `key` (the id relations use for it, or None). Mentions are numbered
    g1, g2, ... in text order; a relation (`type`, `head`, `tail` keys, `where`) is kept when
    both its ends are still mentions. Each case has the spec's case keys and `where`.
    """
    problems, checked = [], []
    if not _SHA256.match(text_sha256):
        problems.append(f"{doc_id}: text_sha256 {shown_value(text_sha256)} is not a SHA-256")
    for mention in mentions:
        found = field_problems(mention, strict=True)
        if not found and (problem := span_text_problem(mention, text, exact=False)):
            found = [problem]
        problems += [f"{mention['where']}: {problem}" for problem in found]
        if not found:
            checked.append(mention)
    checked.sort(key=lambda m: (m["start"], m["end"], m["label"]))
    gold_ids: dict[str, str] = {}
    gold_mentions: list[dict] = []
    for number, mention in enumerate(checked, start=1):
        span = (mention["label"], mention["start"], mention["end"])
        if number > 1 and span == _span(checked[number - 2]):
            problems.append(
                f"{mention['where']}: the same {span[0]} at {span[1]}:{span[2]} is at "
                f"{checked[number - 2]['where']} too"
            )
        if mention["key"] is not None and mention["key"] in gold_ids:
            problems.append(f"{mention['where']}: id {shown_value(mention['key'])} is used twice")
        if mention["key"] is not None:
            gold_ids[mention["key"]] = f"g{number}"
        gold_mentions.append(
            {
                "id": f"g{number}",
                "label": mention["label"],
                "text": text[mention["start"] : mention["end"]],
                "start": mention["start"],
                "end": mention["end"],
                "case_id": mention["case_id"],
                **{flag: mention[flag] for flag in FLAGS},
                "normalized": mention["normalized"],
            }
        )
    kept = []
    for relation in relations:
        if relation["type"] not in RELATION_TYPES:
            problems.append(
                f"{relation['where']}: type {shown_value(relation['type'])} is not one of "
                f"{', '.join(RELATION_TYPES)}"
            )
        elif relation["head"] in gold_ids and relation["tail"] in gold_ids:
            ends = {"head": gold_ids[relation["head"]], "tail": gold_ids[relation["tail"]]}
            kept.append({"type": relation["type"], **ends})
    if len(kept) < len(relations):
        log.info("%s: %d relation(s) dropped", doc_id, len(relations) - len(kept))
    case_ids: set[str] = set()
    for case in cases:
        found = case_problems(case)
        if not found and case["case_id"] in case_ids:
            found = [f"case_id {case['case_id']} is there twice"]
        if not found:
            case_ids.add(case["case_id"])
        problems += [f"{case['where']}: {problem}" for problem in found]
    if problems:
        raise GoldError(problems)
    return {
        "doc_id": doc_id,
        "text_sha256": text_sha256,
        "mentions": gold_mentions,
        "relations": kept,
        "cases": [{key: case[key] for key in CASE_KEYS} for case in cases],
    }


def write_gold(documents: list[dict], out_dir: Path) -> list[Path]:
    """`out_dir/<doc_id>.jsonl` (one line) per gold document, written atomically."""
    paths = []
    for document in documents:
        path = doc_file(out_dir, document["doc_id"], ".jsonl")
        write_text_atomic(path, json.dumps(document, ensure_ascii=False) + "\n")
        paths.append(path)
    return paths


def _span(mention: dict) -> tuple:
    return mention["label"], mention["start"], mention["end"]


def _nearest(text: str, needle: str, position: int) -> int | None:
    """The start of the occurrence of `needle` in `text` nearest to `position`."""
    best, at = None, text.find(needle)
    while at != -1:
        if best is None or abs(at - position) < abs(best - position):
            best = at
        at = text.find(needle, at + 1)
    return best


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _has_text(mention: object, key: str) -> bool:
    return isinstance(mention, dict) and isinstance(mention.get(key), str) and bool(mention[key])
