"""Extract a batch of reports: read, run the pipeline, write one record per report.

- A bad file gives one error line (file and reason), goes to `errors.jsonl` beside the
  records, and the batch goes on.
- Records are written atomically (temporary file, then rename): an interrupted or killed run
  leaves only complete records behind.
- A report whose record already exists for the same file hash and pipeline version is
  skipped, so a re-run resumes; `force` redoes it.
- `jobs` worker processes (or a Dask cluster) each build the pipeline once and write their
  own records; the records are the same whichever engine made them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from tqdm import tqdm

from casex import __version__
from casex.io.errors import ReportError
from casex.io.readers import find_reports, read_report
from casex.io.writers import write_json_atomic, write_text_atomic
from casex.paths import PACKAGE_DIR, patterns_dir
from casex.record import to_record

log = logging.getLogger(__name__)
ERRORS_FILE = "errors.jsonl"
CHUNK = 8  # reports per task sent to a worker


@dataclass
class BatchResult:
    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """casex's version with a digest of its rules and code: any change makes records stale."""
    digest = hashlib.sha256(__version__.encode())
    for root, pattern in ((patterns_dir(), "*"), (PACKAGE_DIR, "*.py")):
        for path in sorted(root.rglob(pattern)):
            if path.is_file():
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"


def extract(
    paths: list[Path],
    out_dir: Path,
    *,
    jobs: int = 1,
    force: bool = False,
    quiet: bool = False,
    scheduler: str | None = None,
    dask: bool = False,
) -> BatchResult:
    """Write `out_dir/<doc_id>.json` for every report under `paths`.

    `dask` runs the work on a Dask cluster: the scheduler at `scheduler`, or a local
    cluster of `jobs` worker processes.
    """
    result = BatchResult()
    _remove_stale_temporaries(out_dir)
    todo = []
    for path in find_reports(paths):
        if not force and _is_current(path, out_dir):
            result.skipped.append(str(path))
        else:
            todo.append(str(path))
    chunks = [todo[i : i + CHUNK] for i in range(0, len(todo), CHUNK)]
    progress = tqdm(total=len(todo), unit="doc", disable=quiet or not sys.stderr.isatty())
    try:
        if dask or scheduler:
            outcomes = _run_dask(chunks, out_dir, jobs, scheduler)
        elif jobs > 1:
            outcomes = _run_processes(chunks, out_dir, jobs)
        else:
            outcomes = (extract_chunk(chunk, str(out_dir)) for chunk in chunks)
        for outcome in outcomes:
            for path, error in outcome:
                if error is None:
                    result.written.append(path)
                else:
                    result.failures.append({"file": path, "reason": error})
                progress.update()
    finally:
        progress.close()
        _write_errors(out_dir, result.failures)
    return result


def extract_chunk(paths: list[str], out_dir: str) -> list[tuple[str, str | None]]:
    """Extract some reports in this process; (path, error or None) for each."""
    from casex.segment.tokenizer import nlp_text

    nlp = _process_pipeline()
    outcomes: list[tuple[str, str | None]] = []
    reports = []
    for path in paths:
        try:
            reports.append(read_report(Path(path)))
        except (ReportError, OSError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            log.debug("%s: %s", path, reason)
            outcomes.append((path, reason))
    texts = (nlp_text(report.text) for report in reports)
    for report, doc in zip(reports, nlp.pipe(texts)):
        record = to_record(report, doc._.casex_extraction, pipeline_version())
        write_json_atomic(Path(out_dir) / f"{report.doc_id}.json", record)
        outcomes.append((report.source, None))
    return outcomes


@lru_cache(maxsize=1)
def _process_pipeline():
    """The pipeline of this process, built on first use."""
    from casex.nlp import build_nlp

    return build_nlp()


def _is_current(path: Path, out_dir: Path) -> bool:
    """True when the record of `path` exists for the same bytes and pipeline version."""
    record_path = out_dir / f"{path.stem}.json"
    if not record_path.exists():
        return False
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
        sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    except (OSError, ValueError):
        return False
    return record.get("sha256") == sha256 and record.get("casex_version") == pipeline_version()


def _run_processes(chunks: list[list[str]], out_dir: Path, jobs: int) -> Iterator[list]:
    # fork shares the loaded libraries; each worker still builds its own pipeline once
    context = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    pool = context.Pool(jobs)
    try:
        yield from pool.imap_unordered(_extract_chunk_task, [(c, str(out_dir)) for c in chunks])
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


def _extract_chunk_task(task: tuple[list[str], str]) -> list[tuple[str, str | None]]:
    return extract_chunk(*task)


def _run_dask(chunks: list[list[str]], out_dir: Path, jobs: int, scheduler: str | None):
    from dask.distributed import Client, LocalCluster, as_completed

    logging.getLogger("distributed").setLevel(logging.WARNING)
    cluster = (
        None
        if scheduler
        else LocalCluster(
            n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None
        )
    )
    client = Client(scheduler or cluster)
    try:
        futures = client.map(extract_chunk, chunks, out_dir=str(out_dir), pure=False)
        for future in as_completed(futures):
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _remove_stale_temporaries(out_dir: Path) -> None:
    """Temporary files of a run that was killed before it could rename them."""
    for stale in out_dir.glob(".*.json.*.tmp") if out_dir.is_dir() else []:
        stale.unlink(missing_ok=True)


def _write_errors(out_dir: Path, failures: list[dict]) -> None:
    path = out_dir / ERRORS_FILE
    if failures:
        write_text_atomic(path, "".join(json.dumps(f, ensure_ascii=False) + "\n" for f in failures))
    elif path.exists():
        path.unlink()
