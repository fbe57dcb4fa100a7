"""The spec's labels and what hangs on them: normalized keys and their allowed values, the
context flags, relation types and the ends they join, display colours.

Labels, their keys and values and the relation types are read from the record schema that
`record.py` owns. The core labels are the spec's first five (section 2); the extended labels
of section 10 and the relation `CAUSED_BY` are scored apart from them.
"""

from __future__ import annotations

from casex.record import record_schema

FLAGS = ("negated", "uncertain", "historical", "hypothetical")
# Keys a gold file may leave out: gold written before the spec gave DRUG identifiers.
GOLD_OPTIONAL: dict[str, tuple[str, ...]] = {"DRUG": ("drugbank_id", "mesh_id")}
_MENTION_SCHEMA = record_schema()["properties"]["mentions"]["items"]
# Label -> normalized key -> JSON Schema of its value; core labels first, in the spec's order.
NORMALIZED: dict[str, dict[str, dict]] = {
    rule["if"]["properties"]["label"]["const"]: rule["then"]["properties"]["normalized"][
        "properties"
    ]
    for rule in _MENTION_SCHEMA["allOf"]
}
LABELS = tuple(NORMALIZED)
CORE_LABELS = LABELS[:5]
EXTENDED_LABELS = LABELS[5:]
CORE_NORMALIZED = {label: NORMALIZED[label] for label in CORE_LABELS}
LABEL_KEYS = {label: tuple(keys) for label, keys in NORMALIZED.items()}
CORE_LABEL_KEYS = {label: LABEL_KEYS[label] for label in CORE_LABELS}

SEXES = tuple(
    sex
    for sex in record_schema()["properties"]["cases"]["items"]["properties"]["sex"]["enum"]
    if sex is not None
)
RELATION_TYPES = tuple(
    record_schema()["properties"]["relations"]["items"]["properties"]["type"]["enum"]
)
CORE_RELATION_TYPES = tuple(t for t in RELATION_TYPES if t != "CAUSED_BY")
# Relation type -> (label of its head, labels its tail may have; None for any label).
RELATION_ENDS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "DOSE_OF": ("DOSE", ("DRUG", "THERAPY")),
    "VALUE_OF": ("LAB_VALUE", None),
    "RESPONSE_TO": ("RESPONSE", ("DRUG", "THERAPY")),
    "CAUSED_BY": ("ADVERSE_EVENT", ("DRUG", "THERAPY")),
}
LABEL_COLORS = {
    "IMMUNOPHENOTYPE": "#b8e0b1",
    "DRUG": "#a9cdf0",
    "DOSE": "#fcd29f",
    "LAB_VALUE": "#d7c8ef",
    "RESPONSE": "#f7b6b0",
    "ADVERSE_EVENT": "#f4e07a",
    "THERAPY": "#9fd9d6",
    "GENETICS": "#e3c6a8",
}


def allowed_values(label: str, key: str) -> tuple[str, ...] | None:
    """The values the spec enumerates for a normalized key (null left out), or None."""
    values = NORMALIZED.get(label, {}).get(key, {}).get("enum")
    return None if values is None else tuple(value for value in values if value is not None)
