"""Evaluate predicted records in a folder against gold files."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from casex.evaluate.gold import GoldError, read_gold, text_problems
from casex.evaluate.scorer import score
from casex.evaluate.texts import ReportTexts


class Evaluation(NamedTuple):
    scores: dict
    texts: dict[str, str]  # doc_id -> report text
    warnings: list[str]


def evaluate(gold_path: Path, pred_dir: Path, raw_dirs: list[Path]) -> Evaluation:
    """Scores of `pred_dir/<doc_id>.json` against gold; GoldError names every problem.

    Each document's text is its record's (whose sha256 must be the gold's `text_sha256`), or,
    for a document without a record, `<doc_id>.txt` under `raw_dirs`; such a document is
    scored as one where nothing was found, with a warning.
    """
    if not pred_dir.is_dir():
        raise FileNotFoundError(f"no folder of records {pred_dir}")
    documents, problems = read_gold(gold_path)
    sources = ReportTexts(pred_dir, raw_dirs)
    broken = {Path(failure["file"]).stem: failure["reason"] for failure in sources.failures}
    pairs, texts, warnings = [], {}, []
    for gold in documents:
        doc_id, where = gold["doc_id"], gold["_where"]
        if doc_id not in sources.records and doc_id in broken:
            problems.append(f"{where}: the record of {doc_id} is unusable: {broken[doc_id]}")
            continue
        try:
            report = sources.text(doc_id)
        except LookupError as error:
            problems.append(f"{where}: {error}")
            continue
        found = text_problems(gold, report.text, report.sha256, report.origin)
        problems += [f"{where}: {problem}" for problem in found]
        record = sources.records.get(doc_id)
        if record is None:
            warnings.append(f"{where}: no record {doc_id}.json in {pred_dir}: scored as empty")
            record = {"doc_id": doc_id, "mentions": [], "relations": []}
        pairs.append((gold, record))
        texts[doc_id] = report.text
    if problems:
        raise GoldError(problems)
    return Evaluation(score(pairs), texts, warnings)
