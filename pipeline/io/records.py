"""Records back from disk: the JSON records of a folder, validated."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from casex.record import record_schema


def load_records(folder: Path) -> tuple[list[dict], list[dict]]:
    """Records in `folder/*.json` in file-name order, and one failure ({"file", "reason"})
    for each file that is not a valid record."""
    if not folder.is_dir():
        raise FileNotFoundError(f"no folder of records {folder}")
    records, failures = [], []
    for path in sorted(folder.glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            jsonschema.validate(record, record_schema())
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            failures.append({"file": str(path), "reason": f"unreadable JSON: {error}"})
        except jsonschema.ValidationError as error:
            failures.append({"file": str(path), "reason": f"not a casex record: {error.message}"})
        else:
            records.append(record)
    return records, failures
