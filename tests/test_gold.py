"""The gold itself is checked against its texts, and the extraction meets its floors."""

import json
from pathlib import Path

import pytest

from casex.batch import pipeline_version
from casex.evaluate.gold import GoldError, load_gold, validate_gold
from casex.evaluate.scorer import score
from casex.io.readers import read_report
from casex.record import to_record
from casex.segment.tokenizer import nlp_text

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
LABELS = ("IMMUNOPHENOTYPE", "DRUG", "DOSE", "LAB_VALUE", "RESPONSE")


def _scores(nlp, gold_file: str) -> dict:
    pairs = []
    for gold in load_gold(CORPUS / "gold" / gold_file):
        path = CORPUS / "raw" / f"{gold['doc_id']}.txt"
        validate_gold(gold, path.read_bytes())
        report = read_report(path)
        pairs.append(
            (
                gold,
                to_record(
                    report, nlp(nlp_text(report.text))._.casex_extraction, pipeline_version()
                ),
            )
        )
    return score(pairs)


def test_gold_validation_catches_a_shifted_offset():
    gold = load_gold(CORPUS / "gold" / "000_56345bc36a9b29ac.jsonl")[0]
    data = (CORPUS / "raw" / "000_56345bc36a9b29ac.txt").read_bytes()
    validate_gold(gold, data)
    broken = json.loads(json.dumps(gold))
    broken["mentions"][0]["start"] += 1
    with pytest.raises(GoldError):
        validate_gold(broken, data)
    with pytest.raises(GoldError):
        validate_gold(gold, data + b" ")


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
