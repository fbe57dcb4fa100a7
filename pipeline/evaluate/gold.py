"""Gold files: load `corpus/gold/*.jsonl` and validate them against the texts they annotate."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

LABEL_KEYS = {
    "IMMUNOPHENOTYPE": {"marker", "expression", "intensity"},
    "DRUG": {"name", "brand"},
    "DOSE": {"value", "unit", "frequency", "days", "route", "drug"},
    "LAB_VALUE": {"analyte", "value", "unit", "comparator", "value_si", "unit_si"},
    "RESPONSE": {"category", "deauville", "basis"},
}
CORE_LABELS = tuple(LABEL_KEYS)


class GoldError(ValueError):
    """Gold that does not fit its text or the spec."""


def load_gold(path: Path) -> list[dict]:
    """Gold documents from a .jsonl file or every .jsonl file in a folder."""
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    documents = []
    for file in files:
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                document = json.loads(line)
                document["_gold_file"] = f"{file.name}:{number}"
                documents.append(document)
    return documents


def validate_gold(document: dict, text_bytes: bytes) -> None:
    """Raise GoldError unless hash, offsets, labels, normalized keys and relation ends hold."""
    where = document.get("_gold_file", document.get("doc_id"))
    if hashlib.sha256(text_bytes).hexdigest() != document["text_sha256"]:
        raise GoldError(f"{where}: text_sha256 does not match the text of {document['doc_id']}")
    text = text_bytes.decode("utf-8")
    ids = set()
    for mention in document["mentions"]:
        label = mention["label"]
        if label not in LABEL_KEYS:
            raise GoldError(
                f"{where}: {mention['id']} has label {label!r}; expected one of {CORE_LABELS}"
            )
        if text[mention["start"] : mention["end"]] != mention["text"]:
            found = text[mention["start"] : mention["end"]]
            raise GoldError(
                f"{where}: {mention['id']} text {mention['text']!r} != {found!r} "
                f"at {mention['start']}:{mention['end']}"
            )
        if set(mention["normalized"]) != LABEL_KEYS[label]:
            raise GoldError(
                f"{where}: {mention['id']} normalized keys {sorted(mention['normalized'])}; "
                f"expected {sorted(LABEL_KEYS[label])}"
            )
        ids.add(mention["id"])
    for relation in document["relations"]:
        if relation["head"] not in ids or relation["tail"] not in ids:
            raise GoldError(f"{where}: relation {relation} names a mention that does not exist")
