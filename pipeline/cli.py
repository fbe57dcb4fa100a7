"""The `casex` command: extract records, evaluate them against gold, or both (`run`)."""

from __future__ import annotations

import logging
from pathlib import Path

import typer

from pipeline import __version__
from pipeline.paths import corpus_dir, outputs_dir

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
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or summary."),
) -> None:
    """Write one JSON record per report to OUT; bad files are reported and skipped."""
    from pipeline.batch import extract as run_extract

    result = run_extract(paths, out, quiet=quiet)
    for failure in result.failures:
        typer.echo(f"casex: error: {failure['file']}: {failure['reason']}", err=True)
    if not quiet:
        typer.echo(
            f"{len(result.written)} record(s) written to {out}; {len(result.failures)} failed",
            err=True,
        )
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
    from pipeline.evaluate.gold import GoldError
    from pipeline.evaluate.report import score_table, write_report
    from pipeline.evaluate.run import evaluate as run_evaluate

    try:
        scores, texts = run_evaluate(gold, pred, raw)
    except (GoldError, FileNotFoundError) as error:
        typer.echo(f"casex: error: {error}", err=True)
        raise typer.Exit(2) from None
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
    extract([corpus / "raw"], out / "json", quiet=False)
    evaluate(corpus / "gold", out / "json", out / "eval", [corpus])


@app.command()
def version() -> None:
    """Print the casex version."""
    typer.echo(__version__)
