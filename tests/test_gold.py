"""The gold itself is checked against its texts, and the extraction meets its floors."""

import json
from pathlib import Path

import pytest

from casex.evaluate.gold import GoldError, load_gold, validate_gold
from casex.evaluate.scorer import score
from casex.io.readers import read_report
from casex.record import to_record
from casex.version import pipeline_version

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
LABELS = ("IMMUNOPHENOTYPE", "DRUG", "DOSE", "LAB_VALUE", "RESPONSE")


def _scores(nlp, gold_file: str) -> dict:
    pairs = []
    for gold in load_gold(CORPUS / "gold" / gold_file):
        report = read_report(CORPUS / "raw" / f"{gold['doc_id']}.txt")
        validate_gold(gold, report.text, report.sha256)
        extraction = nlp(report.text)._.casex_extraction
        pairs.append((gold, to_record(report, extraction, pipeline_version())))
    return score(pairs)


def test_gold_validation_catches_a_shifted_offset():
    [gold] = load_gold(CORPUS / "gold" / "000_56345bc36a9b29ac.jsonl")
    report = read_report(CORPUS / "raw" / "000_56345bc36a9b29ac.txt")
    validate_gold(gold, report.text, report.sha256)
    broken = json.loads(json.dumps(gold))
    broken["mentions"][0]["start"] += 1
    with pytest.raises(GoldError, match="g1: text 'Inotuzumab ozogamicin' is not the report"):
        validate_gold(broken, report.text, report.sha256)
    with pytest.raises(GoldError, match="text_sha256 .* is not the sha256 of the text"):
        validate_gold(gold, report.text + " ", "0" * 64)


def test_reference_paper_floors(nlp):
    scores = _scores(nlp, "000_56345bc36a9b29ac.jsonl")
    for label in LABELS:
        assert scores["spans"]["lenient"][label]["f1"] >= 0.95, label
    assert scores["normalized_accuracy"] >= 0.95
    assert scores["fields"]["case_id"]["accuracy"] >= 0.95


def test_second_gold_set_floors(nlp):
    scores = _scores(nlp, "synthetic.jsonl")
    assert scores["documents"] >= 6
    for label in LABELS:
        assert scores["spans"]["lenient"][label]["f1"] >= 0.85, label
