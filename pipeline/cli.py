"""The `casex` command: extract records, evaluate them against gold, or both (`run`)."""

from __future__ import annotations

import logging
from pathlib import Path

import typer

from casex import __version__
from casex.batch import MAX_CHARS
from casex.paths import CORPUS, OUTPUTS, bundled_corpus

app = typer.Typer(
    help="Extract immunophenotypes, drugs, doses, lab values and responses from case reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def main(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log progress details."),
) -> None:
    """casex: clinical case reports (.txt, .pdf) to spec JSON records, with gold evaluation."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="casex: %(levelname)s: %(message)s",
    )


@app.command()
def extract(
    paths: list[Path] = typer.Argument(
        ..., help="Report files or folders (walked for .txt and .pdf, links followed)."
    ),
    out: Path = typer.Option(
        OUTPUTS / "json", "--out", "-o", help="Folder for <doc_id>.json and errors.jsonl."
    ),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes."),
    force: bool = typer.Option(
        False, "--force", help="Redo reports whose record is current (same file, same rules)."
    ),
    max_chars: int = typer.Option(
        MAX_CHARS,
        "--max-chars",
        min=1,
        help="Refuse a report whose text is longer than this many characters.",
    ),
    dask: bool = typer.Option(
        False, "--dask", help="Run on a Dask cluster: local with --jobs workers, or --scheduler."
    ),
    scheduler: str = typer.Option(
        None, "--scheduler", help="Address of a Dask scheduler, e.g. tcp://10.0.0.5:8786."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary."),
) -> None:
    """Write one JSON record per report to OUT (records are named <doc_id>.json, the file stem).

    Re-running skips reports whose record is current, so an interrupted batch resumes. A bad
    file (unreadable, binary, too long, an error in the pipeline, a doc_id that another
    input already has) is reported on one line and in OUT/errors.jsonl, and the batch goes
    on; folder entries that are not .txt or .pdf are listed as skipped. Exit code: 0, 1 when
    any file failed, 2 when OUT cannot be written, 130 when interrupted (Ctrl-C or SIGTERM).
    """
    from casex.batch import ERRORS_FILE, OutputError
    from casex.batch import extract as run_extract

    _terminate_as_interrupt()
    try:
        result = run_extract(
            paths,
            out,
            jobs=jobs,
            force=force,
            quiet=quiet,
            dask=dask,
            scheduler=scheduler,
            max_chars=max_chars,
        )
    except OutputError as error:
        _fail(str(error))
    except KeyboardInterrupt:
        typer.echo("casex: interrupted; the records written so far are complete", err=True)
        raise typer.Exit(130) from None
    _echo_problems("skipped", result.passed_over)
    _echo_problems("error", result.failures)
    if not quiet:
        summary = (
            f"{len(result.written)} record(s) written to {out}, {len(result.skipped)} current "
            f"record(s) kept, {len(result.failures)} failed, {len(result.passed_over)} skipped"
        )
        if result.failures or result.passed_over:
            summary += f" (listed in {out / ERRORS_FILE})"
        typer.echo(summary, err=True)
    if result.failures:
        raise typer.Exit(1)


def _terminate_as_interrupt() -> None:
    """SIGTERM stops a run the way Ctrl-C does: complete records kept, workers stopped."""
    import signal

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


@app.command()
def evaluate(
    gold: Path = typer.Option(CORPUS / "gold", "--gold", help="Gold .jsonl file or folder."),
    pred: Path = typer.Option(OUTPUTS / "json", "--pred", help="Folder of predicted records."),
    out: Path = typer.Option(OUTPUTS / "eval", "--out", help="Folder for scores.json, report.md."),
    raw: list[Path] = typer.Option(
        [CORPUS], "--raw", help="Folders holding <doc_id>.txt, for gold documents without a record."
    ),
) -> None:
    """Score predicted records against hand-annotated gold (strict and lenient, per label).

    Each report's text is its record's (the gold's text_sha256 must be the record's
    sha256), else <doc_id>.txt under --raw. Every problem of the gold is one line; exit
    code 2 when there is any.
    """
    from casex.evaluate.gold import GoldError
    from casex.evaluate.report import score_table, write_report
    from casex.evaluate.run import evaluate as run_evaluate

    result = _or_exit(lambda: run_evaluate(gold, pred, raw), GoldError, FileNotFoundError)
    for warning in result.warnings:
        typer.echo(f"casex: warning: {_printable(warning)}", err=True)
    _or_exit(lambda: write_report(result.scores, result.texts, out), OSError)
    typer.echo(score_table(result.scores))
    typer.echo(f"report: {out / 'report.md'}")


@app.command()
def run(
    corpus: Path = typer.Option(
        None,
        "--corpus",
        help="Corpus folder with raw/ reports and gold/ [default: the checkout's corpus/ when "
        "run from casex's source tree, else the demo shipped with casex: the reference paper "
        "and its gold]",
        show_default=False,
    ),
    out: Path = typer.Option(OUTPUTS, "--out", help="Outputs folder."),
) -> None:
    """The main job: extract the bundled corpus, then evaluate it against its gold."""
    corpus = corpus or bundled_corpus()
    extract(
        [corpus / "raw"],
        out / "json",
        jobs=1,
        force=False,
        max_chars=MAX_CHARS,
        dask=False,
        scheduler=None,
        quiet=False,
    )
    evaluate(corpus / "gold", out / "json", out / "eval", [corpus])


def _or_exit(action, *errors: type[Exception]):
    """The result of `action()`, or exit code 2 on one of `errors`, with an error line per
    line of its message (one per problem, or per edited file)."""
    from casex.io.written_files import EditedFilesError

    try:
        return action()
    except EditedFilesError as error:
        for path in error.paths:
            _echo_error(
                f"{path} was edited since casex wrote it; it is not overwritten (move it "
                f"away, or use --force)"
            )
        raise typer.Exit(2) from None
    except errors as error:
        for line in str(error).splitlines() or [type(error).__name__]:
            _echo_error(line)
        raise typer.Exit(2) from None


def _echo_error(message: str) -> None:
    typer.echo(f"casex: error: {_printable(message)}", err=True)


def _echo_problems(kind: str, problems: list[dict]) -> None:
    """One line per problem file: `casex: error: FILE: reason`, control characters escaped
    (a file name with a newline cannot forge a second line)."""
    for problem in problems:
        typer.echo(
            f"casex: {kind}: {_printable(problem['file'])}: {_printable(problem['reason'])}",
            err=True,
        )


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))


def _fail(message: str) -> None:
    """One error line and exit code 2."""
    typer.echo(f"casex: error: {_printable(message)}", err=True)
    raise typer.Exit(2)


@app.command()
def version() -> None:
    """Print the casex version."""
    typer.echo(__version__)


@app.command()
def tables(
    pred: Path = typer.Option(OUTPUTS / "json", "--pred", help="Folder of records."),
    out: Path = typer.Option(OUTPUTS / "tables", "--out", help="Folder for the tables."),
    force: bool = typer.Option(
        False, "--force", help="Overwrite tables a curator edited since casex wrote them."
    ),
) -> None:
    """Write the records as mentions, cases and relations tables: CSV, Parquet, one .xlsx.

    The sentence column comes from each record's text. A table edited since casex wrote it
    (OUT/casex-manifest.json keeps what it wrote) is never overwritten: nothing is written
    and the exit code is 2, unless --force.
    """
    from casex.tables import make_tables

    result = _or_exit(lambda: make_tables(pred, out, force), OSError)
    _finish(
        result.failures,
        f"{result.records} record(s): {len(result.tables.mentions)} mention(s), "
        f"{len(result.tables.cases)} case(s), "
        f"{len(result.tables.relations)} relation(s) written to {out}",
    )


@app.command()
def review(
    pred: Path = typer.Option(OUTPUTS / "json", "--pred", help="Folder of records."),
    out: Path = typer.Option(OUTPUTS / "review", "--out", help="Folder for the pages."),
) -> None:
    """Write one self-contained HTML review page per record, and an index.html linking them.

    A page shows the report text with its mentions highlighted, skipped sections greyed and
    the cases beside. The pages are made from the records alone (they carry their text): run
    it from any folder, for reports read from PDFs too."""
    from casex.review import INDEX, make_review

    result = _or_exit(lambda: make_review(pred, out), OSError)
    _finish(result.failures, f"{len(result.pages) - 1} page(s) written; open {out / INDEX}")


@app.command("gold-from-table")
def gold_from_table(
    table: Path = typer.Option(
        OUTPUTS / "tables" / "mentions.csv",
        "--table",
        help="Curated mentions table (.csv, .xlsx or .parquet).",
    ),
    relations: Path = typer.Option(
        None, "--relations", help="Relations table; without it the gold has no relations."
    ),
    cases: Path = typer.Option(
        None, "--cases", help="Cases table (age, sex, diagnosis); without it, no cases."
    ),
    pred: Path = typer.Option(
        OUTPUTS / "json",
        "--pred",
        help="Folder of the records the tables were made from: their texts are the reports'.",
    ),
    raw: list[Path] = typer.Option(
        [], "--raw", help="Folders holding <doc_id>.txt, for reports without a record."
    ),
    out: Path = typer.Option(
        OUTPUTS / "gold-curated", "--out", help="Folder for <doc_id>.jsonl gold files."
    ),
) -> None:
    """Turn a curated mentions table back into gold files that `casex evaluate` accepts.

    Each row is checked against its report's text (the record's, else <doc_id>.txt under
    --raw); a report with a bad row is reported, one line per problem, and not written, the
    others are (exit code 1 when any failed, 2 when a table cannot be read).
    """
    from casex.evaluate.gold_from_table import gold_from_table as run_gold_from_table
    from casex.tables import TableError

    documents, failures = _or_exit(
        lambda: run_gold_from_table(table, pred, raw, relations, cases), TableError
    )
    _write_gold(documents, failures, out)


@app.command("brat-export")
def brat_export(
    pred: Path = typer.Option(OUTPUTS / "json", "--pred", help="Folder of records."),
    out: Path = typer.Option(OUTPUTS / "brat", "--out", help="Folder for the brat files."),
    force: bool = typer.Option(
        False, "--force", help="Overwrite files a curator edited since casex wrote them."
    ),
) -> None:
    """Write the records as a brat folder, to correct in brat or INCEpTION.

    One <doc_id>.txt and <doc_id>.ann per report, with annotation.conf and visual.conf.
    Flags are binary attributes, the case id the attribute Case, the normalized fields an
    AnnotatorNotes JSON object. A file edited since casex wrote it is never overwritten:
    nothing is written and the exit code is 2, unless --force.
    """
    from casex.brat import export_brat

    result = _or_exit(lambda: export_brat(pred, out, force), OSError)
    _finish(result.failures, f"{result.documents} report(s) written to {out}")


@app.command("brat-import")
def brat_import(
    brat: Path = typer.Option(
        OUTPUTS / "brat", "--brat", help="brat folder written by brat-export, then curated."
    ),
    out: Path = typer.Option(
        OUTPUTS / "gold-curated", "--out", help="Folder for <doc_id>.jsonl gold files."
    ),
) -> None:
    """Turn a curated brat folder into gold files that `casex evaluate` accepts.

    Mentions are numbered g1, g2, ... in text order. A report with a problem (each named by
    file and line) is not written, the others are (exit code 1 when any failed).
    """
    from casex.evaluate.gold_from_brat import gold_from_brat

    documents, failures = _or_exit(lambda: gold_from_brat(brat), FileNotFoundError)
    _write_gold(documents, failures, out)


def _finish(failures: list[dict], summary: str) -> None:
    """An error line per failed file, the summary, and exit code 1 when any file failed."""
    _echo_problems("error", failures)
    typer.echo(summary, err=True)
    if failures:
        raise typer.Exit(1)


def _write_gold(documents: list[dict], failures: list[dict], out: Path) -> None:
    """Report the failures, write the gold documents, and exit 1 when any report failed."""
    from casex.evaluate.gold import write_gold

    for failure in failures:
        where = f"{failure['doc_id']}: " if failure["doc_id"] is not None else ""
        typer.echo(f"casex: error: {_printable(where + failure['reason'])}", err=True)
    _or_exit(lambda: write_gold(documents, out), OSError)
    typer.echo(
        f"{len(documents)} gold document(s) written to {out}, "
        f"{len({f['doc_id'] for f in failures})} report(s) failed",
        err=True,
    )
    if failures:
        raise typer.Exit(1)


if __name__ == "__main__":
    app()
