"""Extract a batch of reports: read, run the pipeline, write one record per report.

Guarantees:
- Any failure of one report (unreadable, too long, an exception in the pipeline) gives one
  error line and an `errors.jsonl` entry; every other report is still done.
- Records are written atomically (temporary file, then rename): an interrupted or killed run
  leaves only complete records. A run removes only its own temporary files and those of
  processes that no longer exist, never a live run's.
- A record is never overwritten by another input's: two inputs with one `doc_id` (file stem)
  in a run, or a record of another source already in the folder, are refused.
- A report whose record exists for the same bytes and pipeline version is skipped, so a re-run
  resumes; `force` redoes it. `errors.jsonl` lists every input of the run that has no current
  record, and keeps the entries of earlier runs for inputs this run did not name.
- `jobs` worker processes are forked from a parent that has built the pipeline once (and are
  replaced after `RECYCLE_AFTER` tasks); a Dask cluster's workers build their own. The
  records are the same whichever engine made them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import signal
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from casex.io.errors import ReportError
from casex.io.inputs import collect_inputs
from casex.io.readers import read_report
from casex.io.writers import (
    OutputError,
    check_output_folder,
    remove_stale_temporaries,
    write_json_atomic,
    write_text_atomic,
)
from casex.record import to_record
from casex.version import pipeline_version

log = logging.getLogger(__name__)
ERRORS_FILE = "errors.jsonl"
CHUNK = 8  # reports per task sent to a worker
RECYCLE_AFTER = 250  # tasks before a worker process is replaced (spaCy's string store grows)
MAX_CHARS = 10_000_000  # a longer text is refused (--max-chars)

__all__ = ["ERRORS_FILE", "MAX_CHARS", "BatchResult", "OutputError", "extract"]


@dataclass
class BatchResult:
    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)  # {"file", "reason"}
    passed_over: list[dict] = field(default_factory=list)  # folder entries not taken


def extract(
    paths: list[Path],
    out_dir: Path,
    *,
    jobs: int = 1,
    force: bool = False,
    quiet: bool = False,
    scheduler: str | None = None,
    dask: bool = False,
    max_chars: int = MAX_CHARS,
) -> BatchResult:
    """Write `out_dir/<doc_id>.json` for every report under `paths`.

    Raises OutputError, before any work, when `out_dir` cannot be written; and when writing
    fails later (a full disk), after removing the temporary file.
    """
    check_output_folder(out_dir)
    remove_stale_temporaries(out_dir)
    result = BatchResult()
    files, problems = collect_inputs(paths)
    for problem in problems:
        (result.passed_over if problem.get("skipped") else result.failures).append(problem)
    todo = []
    for path, refusal in _claim_doc_ids(files, out_dir):
        if refusal:
            result.failures.append({"file": str(path), "reason": refusal})
        elif not force and _is_current(path, out_dir):
            result.skipped.append(str(path))
        else:
            todo.append(str(path))
    chunks = [todo[i : i + CHUNK] for i in range(0, len(todo), CHUNK)]
    progress = tqdm(total=len(todo), unit="doc", disable=quiet or not sys.stderr.isatty())
    try:
        if dask or scheduler:
            outcomes = _run_dask(chunks, out_dir, jobs, scheduler, max_chars)
        elif jobs > 1 and len(chunks) > 1:
            outcomes = _run_processes(chunks, out_dir, jobs, max_chars)
        else:
            outcomes = (extract_chunk(chunk, str(out_dir), max_chars) for chunk in chunks)
        for outcome in outcomes:
            for path, error in outcome:
                if error is None:
                    result.written.append(path)
                else:
                    result.failures.append({"file": path, "reason": error})
                progress.update()
    finally:
        progress.close()
        failed = {f["file"] for f in result.failures}
        listed = result.failures + [p for p in result.passed_over if p["file"] not in failed]
        _write_errors(out_dir, {str(p) for p in files} | {p["file"] for p in listed}, listed)
    return result


def extract_chunk(paths: list[str], out_dir: str, max_chars: int = MAX_CHARS) -> list[tuple]:
    """Extract some reports in this process: (path, error or None) for each."""
    from casex.nlp import shared_nlp

    nlp = shared_nlp()
    nlp.max_length = max(nlp.max_length, max_chars + 1)
    outcomes: list[tuple[str, str | None]] = []
    for path in paths:
        try:
            report = read_report(Path(path), max_chars)
            record = to_record(report, nlp(report.text)._.casex_extraction, pipeline_version())
        except (ReportError, OSError) as error:
            outcomes.append((path, _reason(error)))
            continue
        except Exception as error:  # a bug must cost one report, not the batch
            log.debug("%s", path, exc_info=True)
            outcomes.append((path, f"internal error: {type(error).__name__}: {error}"))
            continue
        write_json_atomic(Path(out_dir) / f"{report.doc_id}.json", record)
        outcomes.append((path, None))
    return outcomes


def _reason(error: Exception) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error)


def _claim_doc_ids(files: list[Path], out_dir: Path) -> Iterator[tuple[Path, str | None]]:
    """Each file with None, or with why its doc_id (file stem) cannot be used."""
    owners: dict[str, Path] = {}
    for path in files:
        doc_id = path.stem
        if doc_id in owners:
            yield (
                path,
                (
                    f"doc_id {doc_id!r} is also that of {owners[doc_id]} in this run: records are "
                    "named by file stem; rename one, or extract it into another --out"
                ),
            )
            continue
        owners[doc_id] = path
        other = _other_source(path, out_dir / f"{doc_id}.json")
        if other:
            yield (
                path,
                (
                    f"{out_dir / (doc_id + '.json')} holds the record of another report ({other}); "
                    "move that record away, or extract into another --out"
                ),
            )
        else:
            yield path, None


def _read_record(record_path: Path) -> dict | None:
    try:
        return json.loads(record_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _other_source(path: Path, record_path: Path) -> str | None:
    """The source of the record at `record_path` when it is another file than `path`."""
    record = _read_record(record_path) if record_path.exists() else None
    source = record.get("source") if isinstance(record, dict) else None
    if isinstance(source, str) and Path(source).is_absolute():
        if Path(source) != path.resolve():
            return source
    return None


def _is_current(path: Path, out_dir: Path) -> bool:
    """True when the record of `path` exists for the same bytes and pipeline version."""
    record = _read_record(out_dir / f"{path.stem}.json")
    if not isinstance(record, dict):
        return False
    try:
        sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return False
    return record.get("sha256") == sha256 and record.get("casex_version") == pipeline_version()


def _run_processes(chunks: list[list[str]], out_dir: Path, jobs: int, max_chars: int):
    """Worker processes forked after the parent built the pipeline, so that they share it."""
    from casex.nlp import shared_nlp

    shared_nlp()
    if sys.platform == "win32":  # no fork: each worker builds its own
        context = multiprocessing.get_context("spawn")
    else:
        context = multiprocessing.get_context("fork")
    pool = context.Pool(jobs, initializer=_worker_signals, maxtasksperchild=RECYCLE_AFTER)
    tasks = [(chunk, str(out_dir), max_chars) for chunk in chunks]
    try:
        yield from pool.imap_unordered(_extract_chunk_task, tasks)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


def _worker_signals() -> None:
    """Workers leave Ctrl-C and SIGTERM to the parent, which stops them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _extract_chunk_task(task: tuple[list[str], str, int]) -> list[tuple]:
    return extract_chunk(*task)


def _run_dask(chunks, out_dir: Path, jobs: int, scheduler: str | None, max_chars: int):
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
        futures = client.map(
            extract_chunk, chunks, out_dir=str(out_dir), max_chars=max_chars, pure=False
        )
        for future in as_completed(futures):
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _write_errors(out_dir: Path, named: set[str], failures: list[dict]) -> None:
    """errors.jsonl: this run's failures, and the earlier entries of files that are still
    there and that this run did not name."""
    path = out_dir / ERRORS_FILE
    kept = [
        entry
        for entry in _read_errors(path)
        if entry.get("file") not in named and os.path.lexists(str(entry.get("file")))
    ]
    entries = kept + failures
    if entries:
        write_text_atomic(path, "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries))
    elif path.exists():
        path.unlink()


def _read_errors(path: Path) -> list[dict]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    entries = []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict):
            entries.append(entry)
    return entries
