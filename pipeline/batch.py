"""Extract a batch of reports: read, run the pipeline, write one record per report.

A bad file gives one error line (file and reason) and the batch goes on; records are
written atomically, so an interrupted run leaves only complete records behind.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from pipeline.io.errors import ReportError
from pipeline.io.readers import Report, find_reports, read_report
from pipeline.io.writers import write_json_atomic, write_text_atomic
from pipeline.record import to_record
from pipeline.segment.tokenizer import nlp_text

log = logging.getLogger(__name__)


@dataclass
class BatchResult:
    written: list[Path] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)


def extract(
    paths: list[Path], out_dir: Path, *, quiet: bool = False, batch_size: int = 8
) -> BatchResult:
    """Write `out_dir/<doc_id>.json` for every report under `paths`; failures are collected."""
    from pipeline.nlp import build_nlp

    files = find_reports(paths)
    result = BatchResult()
    reports = list(_readable(files, result))
    nlp = build_nlp()
    progress = tqdm(total=len(reports), unit="doc", disable=quiet or not sys.stderr.isatty())
    texts = (nlp_text(r.text) for r in reports)
    for report, doc in zip(reports, nlp.pipe(texts, batch_size=batch_size)):
        path = out_dir / f"{report.doc_id}.json"
        write_json_atomic(path, to_record(report, doc._.casex_extraction))
        result.written.append(path)
        progress.update()
    progress.close()
    errors_path = out_dir / "errors.jsonl"
    if result.failures:
        write_text_atomic(errors_path, "".join(json.dumps(f) + "\n" for f in result.failures))
    elif errors_path.exists():
        errors_path.unlink()
    return result


def _readable(files: list[Path], result: BatchResult) -> Iterator[Report]:
    for file in files:
        try:
            yield read_report(file)
        except (ReportError, OSError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            result.failures.append({"file": str(file), "reason": reason})
            log.error("%s: %s", file, reason)
