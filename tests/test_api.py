"""The Python and spaCy API: casex.load(), casex.extract_text(), a saved pipeline."""

import json
import subprocess
import sys

import jsonschema

import casex
from casex.record import record_schema

TEXT = (
    "Case presentation\nA 66-year-old woman with B-ALL (CD19+, CD20-) received inotuzumab "
    "ozogamicin 0.8 mg/m2 IV on days 8 and 15. Hemoglobin was 7.3 g/dL. She achieved complete "
    "remission.\n"
)
CORE = {"IMMUNOPHENOTYPE", "DRUG", "DOSE", "LAB_VALUE", "RESPONSE"}


def test_load_gives_mentions_as_ents(nlp):
    doc = nlp(TEXT)
    assert {ent.label_ for ent in doc.ents} == CORE
    drug = next(ent for ent in doc.ents if ent.label_ == "DRUG")
    assert drug._.normalized["name"] == "inotuzumab ozogamicin"
    assert drug._.case_id == "case-1" and drug._.is_negated is False


def test_extract_text_returns_a_valid_record(nlp):
    record = casex.extract_text(TEXT, doc_id="r1", nlp=nlp)
    jsonschema.validate(record, record_schema())
    assert record["doc_id"] == "r1" and record["source"] is None and record["text"] == TEXT
    assert {m["label"] for m in record["mentions"]} == CORE
    assert all(TEXT[m["start"] : m["end"]] == m["text"] for m in record["mentions"])


def test_saved_pipeline_loads_in_a_new_process(nlp, tmp_path):
    nlp.to_disk(tmp_path / "saved")
    (tmp_path / "t.txt").write_text(TEXT, "utf-8")
    program = (
        "import json, spacy, sys; nlp = spacy.load(sys.argv[1]); "
        "doc = nlp(open(sys.argv[2], encoding='utf-8').read()); "
        "print(json.dumps([[e.label_, e.start_char, e.end_char, e._.normalized]"
        " for e in doc.ents]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", program, str(tmp_path / "saved"), str(tmp_path / "t.txt")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    expected = [[e.label_, e.start_char, e.end_char, e._.normalized] for e in nlp(TEXT).ents]
    assert json.loads(result.stdout) == json.loads(json.dumps(expected))


def test_exotic_spaces_are_read_as_spaces_by_the_loaded_pipeline(nlp):
    doc = nlp("Hemoglobin was 7.3\u00a0g/dL.")
    assert [ent.text for ent in doc.ents] == ["7.3 g/dL"]
