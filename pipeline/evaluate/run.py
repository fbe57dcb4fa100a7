"""Evaluate predicted records in a folder against gold files."""

from __future__ import annotations

import json
from pathlib import Path

from casex.evaluate.gold import load_gold, validate_gold
from casex.evaluate.scorer import score


def evaluate(gold_path: Path, pred_dir: Path, raw_dirs: list[Path]) -> tuple[dict, dict[str, str]]:
    """Scores of `pred_dir/<doc_id>.json` against gold; texts are found under `raw_dirs`."""
    pairs, texts = [], {}
    for gold in load_gold(gold_path):
        text_path = find_text(gold["doc_id"], raw_dirs)
        data = text_path.read_bytes()
        validate_gold(gold, data)
        texts[gold["doc_id"]] = data.decode("utf-8")
        pred_path = pred_dir / f"{gold['doc_id']}.json"
        if not pred_path.exists():
            raise FileNotFoundError(f"no prediction {pred_path} for gold document {gold['doc_id']}")
        pairs.append((gold, json.loads(pred_path.read_text(encoding="utf-8"))))
    return score(pairs), texts


def find_text(doc_id: str, raw_dirs: list[Path]) -> Path:
    """The first `<doc_id>.txt` under `raw_dirs`, the text a gold document annotates."""
    for folder in raw_dirs:
        for candidate in folder.rglob(f"{doc_id}.txt"):
            return candidate
    raise FileNotFoundError(f"no text file {doc_id}.txt under {', '.join(map(str, raw_dirs))}")
