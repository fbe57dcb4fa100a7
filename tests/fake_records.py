"""Hand-made records (no pipeline run) for the curation tests: schema-valid, small, exact."""

import hashlib

import jsonschema

from casex.labels import FLAGS
from casex.record import record_schema

NORMALIZED = {
    "DRUG": {"name": "ponatinib", "brand": None, "drugbank_id": "DB08901", "mesh_id": None},
    "LAB_VALUE": {
        "analyte": "hemoglobin",
        "value": -0.5,
        "unit": "g/dL",
        "comparator": None,
        "value_si": None,
        "unit_si": None,
    },
    "RESPONSE": {"category": "CR", "deauville": None, "basis": None},
}


def make_record(doc_id: str, text: str, spans: list[tuple[str, str]], **fields) -> dict:
    """A record of `text` with one mention per (label, mention text), found in text order."""
    mentions, position = [], 0
    for number, (label, mention_text) in enumerate(spans, start=1):
        start = text.index(mention_text, position)
        position = start + len(mention_text)
        mentions.append(
            {
                "id": f"m{number}",
                "label": label,
                "text": mention_text,
                "start": start,
                "end": position,
                "section": None,
                "case_id": "case-1",
                **dict.fromkeys(FLAGS, False),
                "normalized": dict(NORMALIZED[label]),
            }
        )
    record = {
        "schema_version": "1.0",
        "doc_id": doc_id,
        "source": None,
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "casex_version": "0.1.0+000000000000",
        "text": text,
        "sections": [],
        "cases": [{"case_id": "case-1", "age": 60, "sex": "male", "diagnosis": "CML"}],
        "mentions": mentions,
        "relations": [],
        **fields,
    }
    jsonschema.validate(record, record_schema())
    return record


def gold_of(record: dict) -> dict:
    """The gold document that says exactly what `record` says."""
    mentions = [
        {key: value for key, value in m.items() if key != "section"} | {"id": f"g{n}"}
        for n, m in enumerate(record["mentions"], start=1)
    ]
    return {
        "doc_id": record["doc_id"],
        "text_sha256": record["sha256"],
        "mentions": mentions,
        "relations": [],
        "cases": record["cases"],
    }
