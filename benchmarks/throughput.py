"""Speed and memory of casex as a user runs it, as ratios taken side by side in one run.

Usage: python benchmarks/throughput.py [--docs N] [--rounds R]

Prints, each with its target (issue 14):
- cold start: wall time and peak memory of `casex extract` on one report in a new process
  (casex's modules compiled to bytecode first, as an installed casex has them), against
  `import spacy; spacy.blank("en")` in a new process (medians of R, interleaved),
  both in casex's environment and in one with the same spaCy alone (made once, with pip,
  under ~/.cache/casex-bench): in casex's, spaCy's start-up also imports every installed
  package's factory entry points, medspaCy's among them;
- throughput: words/s of the full pipeline against spaCy's blank English tokenizer on the
  same texts (median ratio of R rounds, in CPU and in wall time), on real reports (the
  bundled published articles, those with an attribution file, as 30 copies with their
  numbers redrawn) and on the report-sized documents below, and time per component;
- length: seconds per character of one ~900 KB report against the same text as 45 reports;
- engines: docs/s of the `casex extract` command with --jobs 1, --jobs 2 and --dask, each a
  new process, on N reports (medians of R interleaved rounds), and the peak memory of its
  largest process.
"""

from __future__ import annotations

import argparse
import compileall
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import spacy

import casex
from casex.nlp import shared_nlp

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
CASEX = [sys.executable, "-m", "casex.cli"]


def make_corpus(count: int, seed: int = 7) -> list[str]:
    """Report-sized texts: each corpus report with six paragraphs of the others added and every
    number redrawn, so that 1,000 documents are not 125 copies of 8 (a tokenizer's cache would
    then measure repetition, not clinical text)."""
    sources = [p.read_text(encoding="utf-8") for p in sorted((CORPUS / "raw").glob("*.txt"))]
    paragraphs = [p for text in sources for p in re.split(r"\n\s*\n", text) if p.strip()]
    generator = random.Random(seed)
    texts = []
    for number in range(count):
        base = sources[number % len(sources)]
        extra = generator.sample(paragraphs, k=min(6, len(paragraphs)))
        text = base + "\n\n" + "\n\n".join(extra) + "\n"
        texts.append(re.sub(r"\d+", lambda m: _redraw(m.group(), generator), text))
    return texts


def real_reports(copies: int = 30, seed: int = 7) -> list[str]:
    """The bundled published articles (each kept beside its attribution), with page furniture
    and references as users feed them, in copies whose numbers are redrawn."""
    sources = [
        p.with_name(p.name.replace(".ATTRIBUTION.md", ".txt")).read_text(encoding="utf-8")
        for p in sorted((CORPUS / "raw").glob("*.ATTRIBUTION.md"))
    ]
    generator = random.Random(seed)
    return [
        re.sub(r"\d+", lambda m: _redraw(m.group(), generator), sources[n % len(sources)])
        for n in range(copies)
    ]


def _redraw(digits: str, generator: random.Random) -> str:
    """A random number with as many digits (no leading zero unless it had one)."""
    first = "0" if digits[0] == "0" else str(generator.randint(1, 9))
    return first + "".join(str(generator.randint(0, 9)) for _ in digits[1:])


def run(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak memory (MB, largest process of its tree) of a command, run outside
    the checkout (whose casex.egg-info would be found as an installed package)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, cwd=tempfile.gettempdir())
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"failed ({status}): {' '.join(command)}")
    return seconds, usage.ru_maxrss / 1024


def spacy_alone() -> str:
    """The Python of a virtual environment with casex's spaCy version and nothing else."""
    folder = Path.home() / ".cache" / "casex-bench" / f"spacy-{spacy.__version__}"
    python = folder / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
        packages = [f"spacy=={spacy.__version__}", "click"]  # spacy.cli imports click
        subprocess.run([str(python), "-m", "pip", "install", "-q", *packages], check=True)
    return str(python)


def cold_start(report: Path, rounds: int) -> None:
    # casex's modules as bytecode, as an installed casex has them (pip compiles a wheel's
    # modules when it installs them): a checkout whose environment sets
    # PYTHONDONTWRITEBYTECODE would compile every module again at each start
    compileall.compile_dir(Path(casex.__file__).parent, quiet=1)
    code = "import spacy; spacy.blank('en')"
    baselines = {"casex's environment": [sys.executable], "spaCy alone": [spacy_alone()]}
    runs: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for _ in range(rounds):
        for name, python in baselines.items():
            runs[name].append(run(python + ["-c", code]))
        with tempfile.TemporaryDirectory() as out:
            runs["casex"].append(run(CASEX + ["extract", str(report), "--out", out, "-q"]))
    casex_s = statistics.median(r[0] for r in runs["casex"])
    memory = max(r[1] for r in runs["casex"])
    print(
        f"cold start: casex extract {casex_s:.2f} s, peak memory {memory:.0f} MB (target < 250 MB)"
    )
    for name in baselines:
        spacy_s = statistics.median(r[0] for r in runs[name])
        print(
            f"  spacy.blank in {name} {spacy_s:.2f} s: casex {casex_s / spacy_s:.2f}x "
            "(target <= 2.0x)"
        )


def throughput(texts: list[str], rounds: int, name: str) -> None:
    """Each round runs the blank tokenizer, then the pipeline, over all texts; the ratio is
    taken in CPU time (which the other users of the shared machine change least) and in wall
    time."""
    words = sum(len(t.split()) for t in texts)
    print(f"throughput on {name}: {len(texts)} documents, {words} words")
    blank, nlp = spacy.blank("en"), shared_nlp()
    ratios: dict[str, list[float]] = {"cpu": [], "wall": []}
    for _ in range(rounds):
        spent = {}
        for engine, run in (("tokenizer", blank.make_doc), ("pipeline", nlp)):
            wall, cpu = time.perf_counter(), time.process_time()
            for text in texts:
                run(text)
            spent[engine] = (time.process_time() - cpu, time.perf_counter() - wall)
        ratios["cpu"].append(spent["tokenizer"][0] / spent["pipeline"][0])
        ratios["wall"].append(spent["tokenizer"][1] / spent["pipeline"][1])
        print(
            f"  round: tokenizer {words / spent['tokenizer'][0]:,.0f} words/s, pipeline "
            f"{words / spent['pipeline'][0]:,.0f} words/s (CPU time); pipeline/tokenizer "
            f"{ratios['cpu'][-1]:.3f} in CPU time, {ratios['wall'][-1]:.3f} in wall time"
        )
    print(
        f"throughput on {name}: pipeline/tokenizer median {statistics.median(ratios['cpu']):.3f}"
        f" in CPU time, {statistics.median(ratios['wall']):.3f} in wall time (target >= 0.6)"
    )
    components: dict[str, float] = defaultdict(float)
    for text in texts[:200]:
        tick = time.perf_counter()
        doc = nlp.make_doc(text)
        components["tokenizer"] += time.perf_counter() - tick
        for pipe, component in nlp.pipeline:
            tick = time.perf_counter()
            doc = component(doc)
            components[pipe] += time.perf_counter() - tick
    total = sum(components.values())
    print(f"time per component on {name} (first 200 documents):")
    for pipe, seconds in sorted(components.items(), key=lambda item: -item[1]):
        print(f"  {pipe:<24} {seconds:6.2f} s  {100 * seconds / total:5.1f}%")


def length(texts: list[str]) -> None:
    nlp = shared_nlp()
    big = "\n\n".join(texts)
    while len(big) < 900_000:
        big += "\n\n" + big
    big = big[:900_000]
    pieces = [big[i : i + 20_000] for i in range(0, len(big), 20_000)]
    nlp.max_length = len(big) + 1
    start = time.perf_counter()
    nlp(big)
    one = time.perf_counter() - start
    start = time.perf_counter()
    for piece in pieces:
        nlp(piece)
    many = time.perf_counter() - start
    print(
        f"length: one {len(big):,}-character report {one:.2f} s, the same as {len(pieces)} "
        f"reports {many:.2f} s: {one / many:.2f}x per character (target <= 1.5x)"
    )


def engines(texts: list[str], rounds: int) -> None:
    """Each engine once per round, in turn, so that a busy moment of the shared machine falls
    on every engine alike; medians of the rounds."""
    options = {
        "--jobs 1": ["--jobs", "1"],
        "--jobs 2": ["--jobs", "2"],
        "--dask --jobs 2": ["--dask", "--jobs", "2"],
    }
    rates: dict[str, list[float]] = defaultdict(list)
    memory: dict[str, float] = defaultdict(float)
    with tempfile.TemporaryDirectory() as folder:
        for number, text in enumerate(texts):
            Path(folder, f"doc{number:05}.txt").write_text(text, encoding="utf-8")
        for _ in range(rounds):
            for name, extra in options.items():
                with tempfile.TemporaryDirectory() as out:
                    seconds, peak = run(CASEX + ["extract", folder, "--out", out, "-q", *extra])
                rates[name].append(len(texts) / seconds)
                memory[name] = max(memory[name], peak)
            print(
                "  round: "
                + ", ".join(f"{name} {rates[name][-1]:.1f} docs/s" for name in options)
                + f"; --jobs 2 / --jobs 1 {rates['--jobs 2'][-1] / rates['--jobs 1'][-1]:.2f}x"
            )
    for name in options:
        print(
            f"casex extract {name}: {statistics.median(rates[name]):.1f} docs/s, peak memory of "
            f"its largest process {memory[name]:.0f} MB"
        )
    ratios = [two / one for two, one in zip(rates["--jobs 2"], rates["--jobs 1"])]
    print(f"--jobs 2 / --jobs 1: median {statistics.median(ratios):.2f}x (target >= 1.8x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    texts = make_corpus(args.docs)
    words = sum(len(t.split()) for t in texts)
    print(f"corpus: {len(texts)} documents, {words} words ({words // len(texts)} per document)")
    # the commands first: a child's peak memory would count the parent's once it has built a
    # pipeline (Linux keeps the high-water mark across fork and exec)
    cold_start(CORPUS / "raw" / "000_56345bc36a9b29ac.txt", args.rounds)
    engines(texts, args.rounds)
    throughput(real_reports(), args.rounds, "real reports")
    throughput(texts, args.rounds, "the report-sized documents")
    length(texts)


if __name__ == "__main__":
    main()
