import json
from pathlib import Path

import jsonschema
import pytest

from casex.io.readers import read_report
from casex.record import record_schema, to_record
from casex.version import pipeline_version

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "raw"
REFERENCE = CORPUS / "000_56345bc36a9b29ac.txt"


@pytest.fixture(scope="module")
def reference_record(nlp):
    report = read_report(REFERENCE)
    return report, to_record(report, nlp(report.text)._.casex_extraction, pipeline_version())


def test_record_matches_schema(reference_record):
    _, record = reference_record
    jsonschema.validate(record, record_schema())


def test_offsets_slice_to_mention_text(reference_record):
    report, record = reference_record
    assert record["mentions"]
    for mention in record["mentions"]:
        assert report.text[mention["start"] : mention["end"]] == mention["text"]


def test_nothing_from_skipped_sections(reference_record):
    report, record = reference_record
    references = report.text.index("\nReferences\n")
    keywords = report.text.index("Keywords:")
    assert all(m["start"] < references for m in record["mentions"])
    assert not any(
        keywords <= m["start"] < report.text.index("\n", keywords) for m in record["mentions"]
    )
    skipped = {s["category"] for s in record["sections"] if s["skipped"]}
    assert {"references", "abbreviations", "keywords", "acknowledgements", "front"} <= skipped


def test_title_counts_and_author_list_does_not(reference_record):
    _, record = reference_record
    titles = [s for s in record["sections"] if s["category"] == "title"]
    assert titles and titles[0]["title"].startswith("Inotuzumab ozogamicin is effective")


def test_cases(reference_record):
    _, record = reference_record
    assert record["cases"] == [
        {"case_id": "case-1", "age": 66, "sex": "female", "diagnosis": "B-ALL"},
        {"case_id": "case-2", "age": 67, "sex": "male", "diagnosis": "B-ALL"},
    ]


def test_relation_ends_exist(reference_record):
    _, record = reference_record
    ids = {m["id"] for m in record["mentions"]}
    assert record["relations"]
    assert all(r["head"] in ids and r["tail"] in ids for r in record["relations"])


def test_every_corpus_record_is_valid(nlp):
    for path in sorted(CORPUS.glob("*.txt")):
        report = read_report(path)
        record = to_record(report, nlp(report.text)._.casex_extraction, pipeline_version())
        jsonschema.validate(json.loads(json.dumps(record)), record_schema())
