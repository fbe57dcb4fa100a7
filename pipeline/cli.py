"""The `casex` command: extract records, evaluate them against gold, or both (`run`)."""

from __future__ import annotations

import logging
from pathlib import Path

import typer

from casex import __version__
from casex.paths import corpus_dir, outputs_dir

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
        ..., help="Report files or folders (walked for .txt and .pdf)."
    ),
    out: Path = typer.Option(
        outputs_dir() / "json", "--out", "-o", help="Folder for <doc_id>.json."
    ),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes."),
    force: bool = typer.Option(
        False, "--force", help="Redo reports whose record is current (same file, same rules)."
    ),
    dask: bool = typer.Option(
        False, "--dask", help="Run on a Dask cluster: local with --jobs workers, or --scheduler."
    ),
    scheduler: str = typer.Option(
        None, "--scheduler", help="Address of a Dask scheduler, e.g. tcp://10.0.0.5:8786."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary."),
) -> None:
    """Write one JSON record per report to OUT.

    Re-running skips reports whose record is current, so an interrupted batch resumes.
    A bad file is reported on one line and in OUT/errors.jsonl; the batch goes on, and the
    exit code is 1 when any file failed (130 when interrupted).
    """
    from casex.batch import ERRORS_FILE
    from casex.batch import extract as run_extract

    try:
        result = run_extract(
            paths, out, jobs=jobs, force=force, quiet=quiet, dask=dask, scheduler=scheduler
        )
    except KeyboardInterrupt:
        typer.echo("casex: interrupted; the records written so far are complete", err=True)
        raise typer.Exit(130) from None
    _echo_problems("error", result.failures)
    if not quiet:
        summary = (
            f"{len(result.written)} record(s) written to {out}, {len(result.skipped)} current "
            f"record(s) kept, {len(result.failures)} failed"
        )
        if result.failures:
            summary += f" (listed in {out / ERRORS_FILE})"
        typer.echo(summary, err=True)
    if result.failures:
        raise typer.Exit(1)


@app.command()
def evaluate(
    gold: Path = typer.Option(corpus_dir() / "gold", "--gold", help="Gold .jsonl file or folder."),
    pred: Path = typer.Option(
        outputs_dir() / "json", "--pred", help="Folder of predicted records."
    ),
    out: Path = typer.Option(
        outputs_dir() / "eval", "--out", help="Folder for scores.json, report.md."
    ),
    raw: list[Path] = typer.Option([corpus_dir()], "--raw", help="Folders holding the gold texts."),
) -> None:
    """Score predicted records against hand-annotated gold (strict and lenient, per label)."""
    from casex.evaluate.gold import GoldError
    from casex.evaluate.report import score_table, write_report
    from casex.evaluate.run import evaluate as run_evaluate

    scores, texts = _or_exit(lambda: run_evaluate(gold, pred, raw), GoldError, FileNotFoundError)
    write_report(scores, texts, out)
    typer.echo(score_table(scores))
    typer.echo(f"report: {out / 'report.md'}")


@app.command()
def run(
    corpus: Path = typer.Option(
        corpus_dir(), "--corpus", help="Corpus folder (reports and gold/)."
    ),
    out: Path = typer.Option(outputs_dir(), "--out", help="Outputs folder."),
) -> None:
    """The main job: extract the bundled corpus, then evaluate it against its gold."""
    raw = _relative(corpus / "raw")
    extract([raw], out / "json", jobs=1, force=False, dask=False, scheduler=None, quiet=False)
    evaluate(corpus / "gold", out / "json", out / "eval", [corpus])


def _or_exit(action, *errors: type[Exception]):
    """The result of `action()`, or one error line and exit code 2 on one of `errors`."""
    try:
        return action()
    except errors as error:
        typer.echo(f"casex: error: {error}", err=True)
        raise typer.Exit(2) from None


def _echo_problems(kind: str, problems: list[dict]) -> None:
    """One line per problem file: `casex: error: FILE: reason`."""
    for problem in problems:
        typer.echo(f"casex: {kind}: {problem['file']}: {problem['reason']}", err=True)


def _relative(path: Path) -> Path:
    """`path` relative to the working directory when it lies below it (records name it)."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


@app.command()
def version() -> None:
    """Print the casex version."""
    typer.echo(__version__)


@app.command()
def tables(
    pred: Path = typer.Option(outputs_dir() / "json", "--pred", help="Folder of records."),
    out: Path = typer.Option(outputs_dir() / "tables", "--out", help="Folder for the tables."),
) -> None:
    """Write the records as mentions, cases and relations tables: CSV, Parquet, one .xlsx.

    The sentence column is read from each record's report; a report that is gone or changed
    leaves its sentences empty, with a warning.
    """
    from casex.tables import make_tables

    result = _or_exit(lambda: make_tables(pred, out), FileNotFoundError)
    _echo_problems("error", result.failures)
    _echo_problems("warning", result.warnings)
    typer.echo(
        f"{result.records} record(s): {len(result.tables.mentions)} mention(s), "
        f"{len(result.tables.cases)} case(s), "
        f"{len(result.tables.relations)} relation(s) written to {out}",
        err=True,
    )
    if result.failures:
        raise typer.Exit(1)


@app.command()
def review(
    pred: Path = typer.Option(outputs_dir() / "json", "--pred", help="Folder of records."),
    out: Path = typer.Option(outputs_dir() / "review", "--out", help="Folder for the pages."),
) -> None:
    """Write one self-contained HTML page per record (mentions highlighted in the report
    text, skipped sections greyed, the cases beside) and an index.html linking them."""
    from casex.review import INDEX, make_review

    result = _or_exit(lambda: make_review(pred, out), FileNotFoundError)
    _echo_problems("error", result.failures)
    typer.echo(f"{len(result.pages) - 1} page(s) written; open {out / INDEX}", err=True)
    if result.failures:
        raise typer.Exit(1)


@app.command("gold-from-table")
def gold_from_table(
    table: Path = typer.Option(
        outputs_dir() / "tables" / "mentions.csv",
        "--table",
        help="Curated mentions table (.csv, .xlsx or .parquet).",
    ),
    relations: Path = typer.Option(
        None, "--relations", help="Relations table; without it the gold has no relations."
    ),
    cases: Path = typer.Option(
        None, "--cases", help="Cases table (age, sex, diagnosis); without it, no cases."
    ),
    raw: list[Path] = typer.Option(
        [corpus_dir()], "--raw", help="Folders holding the report texts (<doc_id>.txt)."
    ),
    out: Path = typer.Option(
        outputs_dir() / "gold-curated", "--out", help="Folder for <doc_id>.jsonl gold files."
    ),
) -> None:
    """Turn a curated mentions table back into gold files that `casex evaluate` accepts.

    Each row is checked against its report text; a document with a bad row is reported on
    one line and not written, the others are (exit code 1 when any failed).
    """
    from casex.evaluate.gold_from_table import gold_from_table as run_gold_from_table
    from casex.evaluate.gold_from_table import write_gold
    from casex.tables import TableError

    try:
        documents, failures = run_gold_from_table(table, raw, relations, cases)
    except (TableError, OSError) as error:
        typer.echo(f"casex: error: {error}", err=True)
        raise typer.Exit(2) from None
    for failure in failures:
        typer.echo(f"casex: error: {failure['doc_id']}: {failure['reason']}", err=True)
    write_gold(documents, out)
    typer.echo(
        f"{len(documents)} gold document(s) written to {out}, {len(failures)} failed", err=True
    )
    if failures:
        raise typer.Exit(1)


if __name__ == "__main__":
    app()
