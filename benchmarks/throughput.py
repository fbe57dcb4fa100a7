"""Throughput of the casex pipeline on 1,000+ report-sized documents made from the corpus.

Usage: python benchmarks/throughput.py [--docs N]

Prints, in one run: words per second of the full pipeline and of spaCy's blank English
tokenizer alone on the same texts (the ceiling) and their ratio; where the pipeline's time
goes, component by component; docs per second of `extract` with 1 and 2 worker processes;
the cold start of `casex extract` on one report; and peak memory per process.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import spacy

from casex.batch import extract
from casex.nlp import build_nlp

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


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


def _redraw(digits: str, generator: random.Random) -> str:
    """A random number with as many digits (no leading zero unless it had one)."""
    first = "0" if digits[0] == "0" else str(generator.randint(1, 9))
    return first + "".join(str(generator.randint(0, 9)) for _ in digits[1:])


def words_per_second(texts: list[str]) -> tuple[float, float, dict[str, float]]:
    """Full pipeline and blank tokenizer words/s, and seconds per component."""
    words = sum(len(t.split()) for t in texts)
    blank = spacy.blank("en")
    start = time.perf_counter()
    for text in texts:
        blank.make_doc(text)
    tokenizer_rate = words / (time.perf_counter() - start)
    nlp = build_nlp()
    start = time.perf_counter()
    for _ in nlp.pipe(texts):
        pass
    pipeline_rate = words / (time.perf_counter() - start)
    components: dict[str, float] = defaultdict(float)
    for text in texts[:200]:
        tick = time.perf_counter()
        doc = nlp.make_doc(text)
        components["tokenizer"] += time.perf_counter() - tick
        for name, component in nlp.pipeline:
            tick = time.perf_counter()
            doc = component(doc)
            components[name] += time.perf_counter() - tick
    return pipeline_rate, tokenizer_rate, dict(components)


def docs_per_second(folder: Path, jobs: int) -> tuple[float, float]:
    """Docs/s of `extract` with `jobs` processes, and the largest worker's peak memory (MB)."""
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        result = extract([folder], Path(out), jobs=jobs, force=True, quiet=True)
        rate = len(result.written) / (time.perf_counter() - start)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return rate, max(own, children) if jobs == 1 else children


def cold_start(report: Path) -> float:
    """Wall time of `casex extract` on one report in a new process."""
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-m", "casex.cli", "extract", str(report), "--out", out, "-q"]
        start = time.perf_counter()
        subprocess.run(command, check=True)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    args = parser.parse_args()
    texts = make_corpus(args.docs)
    words = sum(len(t.split()) for t in texts)
    print(f"corpus: {len(texts)} documents, {words} words ({words // len(texts)} per document)")
    pipeline_rate, tokenizer_rate, components = words_per_second(texts)
    print(f"blank tokenizer: {tokenizer_rate:,.0f} words/s")
    print(f"full pipeline:   {pipeline_rate:,.0f} words/s "
          f"({100 * pipeline_rate / tokenizer_rate:.1f}% of the tokenizer)")
    total = sum(components.values())
    print("time per component (first 200 documents):")
    for name, seconds in sorted(components.items(), key=lambda item: -item[1]):
        print(f"  {name:<24} {seconds:6.2f} s  {100 * seconds / total:5.1f}%")
    with tempfile.TemporaryDirectory() as folder:
        for number, text in enumerate(texts):
            Path(folder, f"doc{number:05}.txt").write_text(text, encoding="utf-8")
        one, memory_one = docs_per_second(Path(folder), 1)
        two, memory_two = docs_per_second(Path(folder), 2)
    print(f"extract --jobs 1: {one:.1f} docs/s (peak memory {memory_one:.0f} MB)")
    print(f"extract --jobs 2: {two:.1f} docs/s (peak memory per worker {memory_two:.0f} MB); "
          f"speed-up {two / one:.2f}x")
    report = CORPUS / "raw" / "000_56345bc36a9b29ac.txt"
    print(f"cold start of casex extract on one report: {cold_start(report):.2f} s")


if __name__ == "__main__":
    main()
