"""Malformed gold and curated tables: one error line per problem, naming the file and line
(or table row), never a traceback; a table with a bad row refuses only that report."""

import json
from pathlib import Path

import pandas as pd
import pytest
from fake_records import gold_of, make_record
from typer.testing import CliRunner

from casex.cli import app
from casex.io.writers import write_json_atomic
from casex.tables import to_tables

runner = CliRunner()
TEXT = "Hb -0.5 g/dL. Ponatinib was given.\n"


@pytest.fixture
def record(tmp_path):
    record = make_record("short", TEXT, [("LAB_VALUE", "-0.5 g/dL"), ("DRUG", "Ponatinib")])
    write_json_atomic(tmp_path / "json" / "short.json", record)
    return record


def _evaluate(tmp_path: Path, gold_text: str):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(gold_text, encoding="utf-8")
    return runner.invoke(
        app,
        [
            "evaluate",
            "--gold",
            str(gold),
            "--pred",
            str(tmp_path / "json"),
            "--out",
            str(tmp_path / "eval"),
        ],
    )


def _edited(document: dict, path: str, value: object) -> dict:
    """`document` with the value at `path` (`mentions.0.start`) replaced, or removed."""
    document = json.loads(json.dumps(document))
    *parents, last = [int(part) if part.isdigit() else part for part in path.split(".")]
    target = document
    for part in parents:
        target = target[part]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return document


@pytest.mark.parametrize(
    "path,value,message",
    [
        ("mentions.0.label", KeyError, "gold.jsonl:1: g1: no label"),
        ("mentions.0.start", "3", "gold.jsonl:1: g1: start '3' is not a whole number"),
        ("mentions.0.start", -1, "gold.jsonl:1: g1: start -1 is negative"),
        ("mentions.0.end", 2, "gold.jsonl:1: g1: end 2 is not after start 3"),
        ("mentions.1.id", "g1", "gold.jsonl:1: g1: id is used twice"),
        ("mentions.0.label", "DISEASE", "gold.jsonl:1: g1: label 'DISEASE' is not one of"),
        ("mentions.0.negated", "no", "gold.jsonl:1: g1: negated 'no' is not true or false"),
        (
            "mentions.1.normalized.brand",
            KeyError,
            "gold.jsonl:1: g2: normalized keys ['drugbank_id', 'mesh_id', 'name']",
        ),
        ("mentions.1.start", 15, "gold.jsonl:1: g2: text 'Ponatinib' is not the report text at"),
        ("mentions.0.end", 99, "gold.jsonl:1: g1: end 99 is past the end of the report text"),
        ("relations", [{"type": "DOSE_OF", "head": "g1", "tail": "g9"}], "tail 'g9' is no"),
        ("relations", [{"type": "KILLS", "head": "g1", "tail": "g2"}], "type 'KILLS' is not"),
        ("cases.0", "case-1", "gold.jsonl:1: case 1: a case is a JSON object with a case_id"),
        ("mentions.0.case_id", 1, "gold.jsonl:1: g1: case_id 1 is not case-1, case-2, ..."),
        ("text_sha256", "0" * 64, "is not the sha256 of record short.json"),
        ("text_sha256", "abc", "gold.jsonl:1: text_sha256 is not a SHA-256 hex digest"),
        ("mentions", {}, "gold.jsonl:1: mentions is not a list"),
        ("doc_id", KeyError, "gold.jsonl:1: no doc_id"),
    ],
)
def test_each_malformed_gold_line_is_one_error(record, tmp_path, path, value, message):
    result = _evaluate(tmp_path, json.dumps(_edited(gold_of(record), path, value)) + "\n")
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("casex: error: ")
    assert message in lines[0]
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "content,message",
    [
        ("", "gold.jsonl: empty gold file (no document)"),
        ("\n\n", "gold.jsonl: empty gold file (no document)"),
        ('{"doc_id": "short", \n', "gold.jsonl:1: not JSON (Expecting property name"),
        ("[1, 2]\n", "gold.jsonl:1: a gold line is a JSON object"),
    ],
)
def test_unreadable_gold_files(record, tmp_path, content, message):
    result = _evaluate(tmp_path, content)
    assert result.exit_code == 2
    assert result.output.strip() == f"casex: error: {message}" or message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_every_problem_is_reported_at_once(record, tmp_path):
    good = gold_of(record)
    lines = [
        json.dumps(_edited(good, "mentions.0.start", "3")),
        "not json",
        json.dumps(good),
        json.dumps(good),
    ]
    result = _evaluate(tmp_path, "\n".join(lines) + "\n")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "casex: error: gold.jsonl:1: g1: start '3' is not a whole number",
        "casex: error: gold.jsonl:2: not JSON (Expecting value at column 1)",
        "casex: error: gold.jsonl:4: doc_id short is also at gold.jsonl:3",
    ]


def test_good_gold_scores(record, tmp_path):
    result = _evaluate(tmp_path, json.dumps(gold_of(record)) + "\n")
    assert result.exit_code == 0, result.output
    scores = json.loads((tmp_path / "eval" / "scores.json").read_text("utf-8"))
    assert scores["spans"]["strict"]["micro"]["f1"] == 1.0


def test_gold_without_a_record_is_scored_from_its_text_file(record, tmp_path):
    other = make_record("other", "Nothing found here, Ponatinib aside.\n", [("DRUG", "Ponatinib")])
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "other.txt").write_text(other["text"], "utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(gold_of(record)) + "\n" + json.dumps(gold_of(other)) + "\n")
    arguments = ["--gold", str(gold), "--pred", str(tmp_path / "json"), "--out", str(tmp_path)]
    result = runner.invoke(app, ["evaluate", *arguments, "--raw", str(tmp_path / "raw")])
    assert result.exit_code == 0, result.output
    assert "casex: warning: gold.jsonl:2: no record other.json" in result.output
    scores = json.loads((tmp_path / "scores.json").read_text("utf-8"))
    assert scores["spans"]["strict"]["DRUG"]["recall"] == 0.5
    result = runner.invoke(app, ["evaluate", *arguments, "--raw", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert "gold.jsonl:2: no record other.json in " in result.output


def _table(tmp_path: Path, records: list[dict], edit=None, suffix: str = "csv") -> Path:
    frame = to_tables(records).mentions
    frame = frame.astype({column: "object" for column in frame.columns})
    if edit:
        edit(frame)
    path = tmp_path / f"mentions.{suffix}"
    if suffix == "csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path, index=False)
    return path


def _gold_from(path: Path, tmp_path: Path):
    return runner.invoke(
        app,
        [
            "gold-from-table",
            "--table",
            str(path),
            "--pred",
            str(tmp_path / "json"),
            "--out",
            str(tmp_path / "gold"),
        ],
    )


@pytest.fixture
def two_records(record, tmp_path):
    other = make_record(
        "other", "Ponatinib, then CR.\n", [("DRUG", "Ponatinib"), ("RESPONSE", "CR")]
    )
    write_json_atomic(tmp_path / "json" / "other.json", other)
    return [record, other]


def _cell(row: int, column: str, value: object):
    def edit(frame: pd.DataFrame) -> None:
        frame.loc[row, column] = value

    return edit


@pytest.mark.parametrize(
    "edit,message",
    [
        (_cell(2, "start", "x"), "mentions.csv row 4: start 'x' is not a whole number"),
        (_cell(2, "end", "0"), "mentions.csv row 4: end 0 is not after start 0"),
        (_cell(2, "start", "-3"), "mentions.csv row 4: start -3 is negative"),
        (_cell(2, "label", "DISEASE"), "mentions.csv row 4: label 'DISEASE' is not one of"),
        (_cell(2, "negated", "maybe"), "mentions.csv row 4: negated 'maybe' is not True or"),
        (_cell(3, "id", "m1"), "mentions.csv row 5: id 'm1' is used twice"),
        (_cell(3, "norm_category", "GREAT"), "mentions.csv row 5: normalized category: 'GREAT'"),
        (_cell(2, "norm_days", "1,x"), None),  # a DRUG has no days: the cell is not read
    ],
)
def test_a_bad_row_refuses_only_its_report(two_records, tmp_path, edit, message):
    result = _gold_from(_table(tmp_path, two_records, edit), tmp_path)
    assert "Traceback" not in result.output
    written = sorted(p.name for p in (tmp_path / "gold").iterdir())
    if message is None:
        assert result.exit_code == 0, result.output
        assert written == ["other.jsonl", "short.jsonl"]
        return
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == f"casex: error: other: {message}" or (
        result.output.splitlines()[0].startswith(f"casex: error: other: {message}")
    )
    assert written == ["short.jsonl"]


def test_a_row_without_doc_id_is_named(two_records, tmp_path):
    result = _gold_from(_table(tmp_path, two_records, _cell(3, "doc_id", "")), tmp_path)
    assert result.exit_code == 1
    assert "casex: error: mentions.csv row 5: no doc_id" in result.output
    assert sorted(p.name for p in (tmp_path / "gold").iterdir()) == [
        "other.jsonl",
        "short.jsonl",
    ]


def test_a_bad_parquet_cell_is_named(two_records, tmp_path):
    def as_text(frame: pd.DataFrame) -> None:
        frame["start"] = ["three", *(str(start) for start in frame["start"][1:])]

    path = _table(tmp_path, two_records, as_text, suffix="parquet")
    result = _gold_from(path, tmp_path)
    assert result.exit_code == 1
    assert "casex: error: short: mentions.parquet row 2: start 'three' is not a whole number" in (
        result.output
    )
    assert [p.name for p in (tmp_path / "gold").iterdir()] == ["other.jsonl"]


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("mentions.csv", b"", "mentions.csv: cannot read the mentions table (EmptyDataError"),
        ("tables.xlsx", b"PK\x03\x04 not a workbook", "tables.xlsx: cannot read the mentions"),
        ("mentions.csv", "doc_id,text\nä,x\n".encode("cp1252"), "mentions.csv: not UTF-8 text"),
        ("mentions.parquet", b"PAR1 no", "mentions.parquet: cannot read the mentions table"),
        ("mentions.tsv", b"x", "mentions.tsv: a table file is .csv, .xlsx or .parquet"),
        ("mentions.csv", b"doc_id,text\nx,y\n", "mentions.csv: no column(s) label, norm_marker"),
    ],
)
def test_an_unreadable_table_is_one_error(record, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    result = _gold_from(path, tmp_path)
    assert result.exit_code == 2
    assert result.output.startswith(f"casex: error: {message}")
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "gold").exists()


def test_a_missing_table_is_one_error(record, tmp_path):
    result = _gold_from(tmp_path / "nowhere.csv", tmp_path)
    assert result.exit_code == 2
    assert result.output.startswith("casex: error: nowhere.csv: cannot read the mentions table")
    assert "Traceback" not in result.output
