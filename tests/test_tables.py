"""Tables for curators: columns and dtypes survive CSV, .xlsx and Parquet; a curated mentions
table turns back into gold that validates and scores."""

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from casex.cli import app
from casex.evaluate.gold import load_gold, validate_gold
from casex.evaluate.gold_from_table import gold_from_table
from casex.evaluate.scorer import score
from casex.io.readers import read_report
from casex.io.writers import write_json_atomic
from casex.labels import LABEL_KEYS
from casex.record import to_record
from casex.tables import (
    COLUMNS,
    NORMALIZED_DTYPES,
    TABLE_NAMES,
    WORKBOOK,
    TableError,
    case_summary,
    day_ranges,
    parse_days,
    read_table,
    read_workbook,
    to_tables,
    write_tables,
)
from casex.version import pipeline_version

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "corpus" / "raw" / "000_56345bc36a9b29ac.txt"
REPORT = (
    "Case presentation\n\n"
    "A 58-year-old woman with B-ALL presented with hemoglobin 8.1 g/dL and WBC 12,400/μL. "
    "Blasts were CD19+, CD22+ and CD20-. She received ponatinib 45 mg daily and reached "
    "complete remission with MRD negativity. No response to blinatumomab had been seen "
    "before. Ponatinb was then restarted.\n\n"
    "References\n\n1. Rossi A. Ponatinib 45 mg daily in ALL. Blood. 2020;1:1-9.\n"
)
runner = CliRunner()


def _record(nlp, path: Path) -> tuple[str, dict]:
    report = read_report(path)
    extraction = nlp(report.text)._.casex_extraction
    return report.text, to_record(report, extraction, pipeline_version())


@pytest.fixture(scope="module")
def reference(nlp):
    return _record(nlp, REFERENCE)


@pytest.fixture
def short(nlp, tmp_path):
    """A short report under tmp_path/raw, its record under tmp_path/json."""
    path = tmp_path / "raw" / "short.txt"
    path.parent.mkdir()
    path.write_text(REPORT, encoding="utf-8")
    text, record = _record(nlp, path)
    write_json_atomic(tmp_path / "json" / "short.json", record)
    return text, record


def test_every_normalized_key_has_a_column():
    assert set().union(*LABEL_KEYS.values()) == set(NORMALIZED_DTYPES)


def test_readme_documents_every_column():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for columns in COLUMNS.values():
        for column in columns:
            assert f"`{column}`" in readme, column


@pytest.mark.parametrize("suffix", ["csv", "parquet", "xlsx"])
def test_tables_load_back_with_their_columns_and_dtypes(reference, tmp_path, suffix):
    text, record = reference
    tables = to_tables([record])
    paths = write_tables(tables, tmp_path)
    assert {p.name for p in paths} == {
        *(f"{name}.{ext}" for name in TABLE_NAMES for ext in ("csv", "parquet")),
        WORKBOOK,
    }
    assert not list(tmp_path.glob(".*.tmp"))
    for name, frame in tables._asdict().items():
        path = tmp_path / (WORKBOOK if suffix == "xlsx" else f"{name}.{suffix}")
        loaded = read_table(path, name)
        assert list(loaded.columns) == list(COLUMNS[name])
        assert {c: str(t) for c, t in loaded.dtypes.items()} == COLUMNS[name]
        pd.testing.assert_frame_equal(loaded, frame)


def test_workbook_has_the_three_sheets(reference, tmp_path):
    text, record = reference
    tables = to_tables([record])
    write_tables(tables, tmp_path)
    assert pd.ExcelFile(tmp_path / WORKBOOK).sheet_names == list(TABLE_NAMES)
    for loaded, frame in zip(read_workbook(tmp_path / WORKBOOK), tables):
        pd.testing.assert_frame_equal(loaded, frame)


def test_mentions_table_of_the_reference_paper(reference):
    text, record = reference
    mentions = to_tables([record]).mentions
    assert len(mentions) == len(record["mentions"])
    dose = mentions[mentions["text"] == "1,3\xa0mg"].iloc[0]
    assert (dose["label"], dose["case_id"], dose["norm_value"]) == ("DOSE", "case-1", 1.3)
    assert (dose["norm_unit"], dose["norm_days"], dose["norm_drug"]) == (
        "mg",
        "1",
        "inotuzumab ozogamicin",
    )
    assert pd.isna(dose["norm_marker"])
    assert "1,3 mg" in dose["sentence"] and "\n" not in dose["sentence"]
    marker = mentions[mentions["text"] == "SMIg+"].iloc[0]
    assert (marker["norm_marker"], marker["norm_expression"]) == ("sIg", "positive")
    assert marker["sentence"].endswith("(CD19+, CD22+, SMIg+, TdT+, CD20-).")


def test_cases_table_of_the_reference_paper(reference):
    _, record = reference
    cases = to_tables([record]).cases.set_index("case_id")
    assert list(cases.index) == ["case-1", "case-2"]
    first, second = cases.loc["case-1"], cases.loc["case-2"]
    assert (first["age"], first["sex"], first["diagnosis"]) == (66, "female", "B-ALL")
    assert first["immunophenotype"].startswith("CD19+ CD22+ sIg+ TdT+ CD20-")
    assert first["drugs"] == "inotuzumab ozogamicin"
    assert first["doses"].startswith(
        "inotuzumab ozogamicin 1.3 mg IV once day 1; "
        "inotuzumab ozogamicin 0.8 mg IV weekly days 8,15"
    )
    assert first["best_response"] == "MRD_NEGATIVE"
    assert first["presentation_labs"].startswith(
        "hemoglobin 7.3 g/dL; wbc 2400/uL; neutrophils 600/uL; platelets 168000/uL"
    )
    assert (second["age"], second["sex"]) == (67, "male")
    assert "ponatinib 15 mg daily; ponatinib 45 mg daily" in second["doses"]
    assert second["best_response"] == "CR"


def test_relations_table_names_both_ends(reference):
    _, record = reference
    relations = to_tables([record]).relations
    assert len(relations) == len(record["relations"])
    dose_of = relations[relations["type"] == "DOSE_OF"].iloc[0]
    assert (dose_of["head_label"], dose_of["tail_label"]) == ("DOSE", "DRUG")
    assert dose_of["tail_text"] == "IO"


def _mention(label: str, start: int, normalized: dict, **flags) -> dict:
    return {
        "label": label,
        "start": start,
        "end": start + 1,
        "negated": flags.get("negated", False),
        "hypothetical": flags.get("hypothetical", False),
        "normalized": normalized,
    }


def _response(category: str, start: int, **flags) -> dict:
    return _mention("RESPONSE", start, {"category": category}, **flags)


@pytest.mark.parametrize(
    "responses,best,last",
    [
        ([_response("PR", 1), _response("CR", 2), _response("PD", 3)], "CR", "PD"),
        ([_response("CR", 1), _response("MRD_NEGATIVE", 2)], "MRD_NEGATIVE", "MRD_NEGATIVE"),
        ([_response("NR", 1), _response("SD", 2), _response("OTHER", 3)], "SD", "SD"),
        ([_response("CR", 1, negated=True), _response("PMR", 2)], "PMR", "PMR"),
        ([_response("CR", 1, hypothetical=True)], None, None),
        ([_response("OTHER", 1)], None, None),
    ],
)
def test_best_and_last_response(responses, best, last):
    summary = case_summary(responses)
    assert (summary["best_response"], summary["last_response"]) == (best, last)


def test_case_summary_formats():
    mentions = [
        _mention("IMMUNOPHENOTYPE", 1, {"marker": "CD19", "expression": "positive"}),
        _mention(
            "IMMUNOPHENOTYPE",
            2,
            {"marker": "CD10", "expression": "positive", "intensity": "dim"},
        ),
        _mention("IMMUNOPHENOTYPE", 3, {"marker": "CD20", "expression": "negative"}),
        _mention("IMMUNOPHENOTYPE", 4, {"marker": "CD19", "expression": "positive"}),
        _mention("DRUG", 5, {"name": "ponatinib"}),
        _mention("DRUG", 6, {"name": "blinatumomab"}, negated=True),
        _mention(
            "DOSE",
            7,
            {
                "drug": "venetoclax",
                "value": 400.0,
                "unit": "mg",
                "route": "PO",
                "frequency": "daily",
                "days": [1, 2, 3, 4, 5, 6, 7],
            },
        ),
        _mention("DOSE", 8, {"drug": None, "value": 0.8, "unit": "mg", "days": [8, 15]}),
        _mention("LAB_VALUE", 9, {"analyte": "wbc", "value": 2400.0, "unit": "/uL"}),
        _mention("LAB_VALUE", 10, {"analyte": "wbc", "value": 900.0, "unit": "/uL"}),
        _mention(
            "LAB_VALUE", 11, {"analyte": "blasts", "value": 5.0, "unit": "%", "comparator": "<"}
        ),
        _mention("LAB_VALUE", 12, {"analyte": "hemoglobin", "value": 7.3, "unit": "g/dL"}),
        _mention("LAB_VALUE", 13, {"analyte": "mrd", "value": 0.001, "unit": None}),
    ]
    assert case_summary(mentions) == {
        "immunophenotype": "CD19+ CD10+(dim) CD20-",
        "drugs": "ponatinib",
        "doses": "venetoclax 400 mg PO daily days 1-7; 0.8 mg days 8,15",
        "best_response": None,
        "last_response": None,
        "presentation_labs": "wbc 2400/uL; blasts <5%; hemoglobin 7.3 g/dL; mrd 0.001",
        "therapies": None,
        "adverse_events": None,
        "genetics": None,
    }


@pytest.mark.parametrize(
    "days,text",
    [([1], "1"), ([8, 15], "8,15"), ([1, 2, 3], "1-3"), ([1, 2, 4, 5, 6, 9], "1,2,4-6,9")],
)
def test_day_ranges(days, text):
    assert day_ranges(days) == text


@pytest.mark.parametrize(
    "cell,days",
    [("1,8,15", [1, 8, 15]), ("[8, 15]", [8, 15]), ("1 2 3", [1, 2, 3]), ("", None), (None, None)],
)
def test_parse_days(cell, days):
    assert parse_days(cell) == days


@pytest.mark.parametrize(
    "column,cell,message",
    [
        ("start", "12.5", "row 2: start '12.5' is not a whole number"),
        ("norm_value", "1,3", "row 2: norm_value '1,3' is not a number"),
        ("negated", "maybe", "row 2: negated 'maybe' is not True or False"),
    ],
)
def test_bad_cells_are_named(short, tmp_path, column, cell, message):
    _, record = short
    write_tables(to_tables([record]), tmp_path / "tables")
    path = tmp_path / "tables" / "mentions.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, column] = cell
    frame.to_csv(path, index=False)
    with pytest.raises(TableError, match=message):
        read_table(path, "mentions")


def test_a_table_without_its_columns_is_refused(tmp_path):
    path = tmp_path / "mentions.csv"
    pd.DataFrame({"doc_id": ["x"], "text": ["y"]}).to_csv(path, index=False)
    with pytest.raises(TableError, match="no column\\(s\\) label, norm_marker"):
        read_table(path, "mentions")


def _curate(tables_dir: Path, text: str) -> None:
    """A curator's edits: fix two values, delete a false mention, add a missed one."""
    path = tables_dir / "mentions.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    dose = frame.index[frame["text"] == "45 mg"][0]
    frame.loc[dose, "norm_route"] = "PO"
    frame.loc[dose, "norm_days"] = "1,2,3"
    frame = frame[frame["text"] != "blinatumomab"]
    start = text.index("Ponatinb")
    missed = {column: "" for column in frame.columns}
    missed.update(
        doc_id="short",
        case_id="case-1",
        label="DRUG",
        text="Ponatinb",
        start=str(start),
        end=str(start + len("Ponatinb")),
        norm_name="ponatinib",
    )
    frame = pd.concat([frame, pd.DataFrame([missed])], ignore_index=True)
    frame.to_csv(path, index=False)


def test_round_trip_curated_table_to_gold(short, tmp_path):
    text, record = short
    tables_dir = tmp_path / "tables"
    write_tables(to_tables([record]), tables_dir)
    _curate(tables_dir, text)
    documents, failures = gold_from_table(
        tables_dir / "mentions.csv",
        None,
        [tmp_path / "raw"],
        tables_dir / "relations.csv",
        tables_dir / "cases.csv",
    )
    assert failures == []
    [gold] = documents
    validate_gold(gold, text, record["sha256"])
    mentions = gold["mentions"]
    assert [m["id"] for m in mentions] == [f"g{n}" for n in range(1, len(mentions) + 1)]
    assert [m["start"] for m in mentions] == sorted(m["start"] for m in mentions)
    assert [m["text"] for m in mentions if m["label"] == "DRUG"] == ["ponatinib", "Ponatinb"]
    added = mentions[-1]
    assert added["normalized"] == {
        "name": "ponatinib",
        "brand": None,
        "drugbank_id": None,
        "mesh_id": None,
    }
    assert (added["case_id"], added["negated"]) == ("case-1", False)
    [dose] = [m for m in mentions if m["label"] == "DOSE"]
    assert dose["normalized"] == {
        "value": 45.0,
        "unit": "mg",
        "frequency": "daily",
        "days": [1, 2, 3],
        "route": "PO",
        "drug": "ponatinib",
    }
    for mention in mentions:
        assert set(mention["normalized"]) == set(LABEL_KEYS[mention["label"]])
    by_id = {m["id"]: m["text"] for m in mentions}
    # RESPONSE_TO "No response" -> blinatumomab lost its tail with the deleted row.
    assert sorted((r["type"], by_id[r["head"]], by_id[r["tail"]]) for r in gold["relations"]) == [
        ("DOSE_OF", "45 mg", "ponatinib"),
        ("RESPONSE_TO", "MRD negativity", "ponatinib"),
        ("RESPONSE_TO", "complete remission", "ponatinib"),
    ]
    assert gold["cases"] == [
        {"case_id": "case-1", "age": 58, "sex": "female", "diagnosis": "B-ALL"}
    ]

    scores = score([(gold, record)])
    drug = scores["spans"]["strict"]["DRUG"]
    assert (drug["precision"], drug["recall"]) == (0.5, 0.5)
    assert scores["fields"]["DOSE.route"]["accuracy"] == 0.0
    assert scores["fields"]["DOSE.value"]["accuracy"] == 1.0
    assert scores["spans"]["strict"]["IMMUNOPHENOTYPE"]["f1"] == 1.0


@pytest.mark.parametrize(
    "edit,message",
    [
        ({"start": "77"}, "mentions.csv row 2: text '8.1 g/dL' is not the report text"),
        ({"label": "DISEASE"}, "mentions.csv row 2: label 'DISEASE' is not one of"),
        ({"end": "100000"}, "mentions.csv row 2: end 100000 is past the end of the report"),
        ({"end": "70"}, "mentions.csv row 2: end 70 is not after start 76"),
        ({"start": "-1"}, "mentions.csv row 2: start -1 is negative"),
        ({"start": ""}, "mentions.csv row 2: start None is not a whole number"),
    ],
)
def test_gold_from_table_names_the_bad_row(short, tmp_path, edit, message):
    text, record = short
    write_tables(to_tables([record]), tmp_path)
    path = tmp_path / "mentions.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column, value in edit.items():
        frame.loc[0, column] = value
    frame.to_csv(path, index=False)
    documents, [failure] = gold_from_table(path, tmp_path / "json", [])
    assert documents == []
    assert failure["doc_id"] == "short"
    assert failure["reason"].startswith(message)


def test_whitespace_in_a_curated_text_may_differ(short, tmp_path):
    text, record = short
    write_tables(to_tables([record]), tmp_path)
    path = tmp_path / "mentions.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert frame.loc[0, "text"] == "8.1 g/dL"
    frame.loc[0, "text"] = "8.1\xa0g/dL"
    frame.to_csv(path, index=False)
    [gold], _ = gold_from_table(path, tmp_path / "json", [])
    assert gold["mentions"][0]["text"] == "8.1 g/dL" == text[76:84]


def test_commands_round_trip(short, tmp_path):
    text, _ = short
    tables_dir, gold_dir = tmp_path / "tables", tmp_path / "gold"
    result = runner.invoke(
        app, ["tables", "--pred", str(tmp_path / "json"), "--out", str(tables_dir)]
    )
    assert result.exit_code == 0, result.output
    assert "1 record(s)" in result.output
    _curate(tables_dir, text)
    result = runner.invoke(
        app,
        [
            "gold-from-table",
            "--table",
            str(tables_dir / "mentions.csv"),
            "--relations",
            str(tables_dir / "relations.csv"),
            "--cases",
            str(tables_dir / "cases.csv"),
            "--pred",
            str(tmp_path / "json"),
            "--out",
            str(gold_dir),
        ],
    )
    assert result.exit_code == 0, result.output
    [gold] = load_gold(gold_dir)
    assert json.loads((gold_dir / "short.jsonl").read_text(encoding="utf-8"))["doc_id"] == "short"
    assert len(gold["mentions"]) == 11
    result = runner.invoke(
        app,
        [
            "evaluate",
            "--gold",
            str(gold_dir),
            "--pred",
            str(tmp_path / "json"),
            "--out",
            str(tmp_path / "eval"),
        ],
    )
    assert result.exit_code == 0, result.output
    scores = json.loads((tmp_path / "eval" / "scores.json").read_text(encoding="utf-8"))
    assert scores["spans"]["strict"]["DRUG"]["recall"] == 0.5


def test_gold_from_table_command_reports_a_bad_row(short, tmp_path):
    _, record = short
    write_tables(to_tables([record]), tmp_path / "tables")
    path = tmp_path / "tables" / "mentions.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[3, "start"] = "0"
    frame.to_csv(path, index=False)
    result = runner.invoke(
        app,
        [
            "gold-from-table",
            "--table",
            str(path),
            "--pred",
            str(tmp_path / "no-records"),
            "--raw",
            str(tmp_path / "raw"),
            "--out",
            str(tmp_path / "gold"),
        ],
    )
    assert result.exit_code == 1
    assert (
        "casex: error: short: mentions.csv row 5: text 'CD22+' is not the report" in result.output
    )
    assert "Traceback" not in result.output
    assert not (tmp_path / "gold" / "short.jsonl").exists()


def test_gold_from_the_workbook_equals_gold_from_csv(short, tmp_path):
    text, record = short
    folder, records = tmp_path / "tables", tmp_path / "json"
    write_tables(to_tables([record]), folder)
    from_csv, _ = gold_from_table(
        folder / "mentions.csv", records, [], folder / "relations.csv", folder / "cases.csv"
    )
    book = folder / WORKBOOK
    from_book, failures = gold_from_table(book, records, [], book, book)
    assert failures == []
    assert from_book == from_csv
    assert len(from_book[0]["relations"]) == len(record["relations"])


def test_help_columns_may_be_dropped(short, tmp_path):
    text, record = short
    write_tables(to_tables([record]), tmp_path)
    mentions, relations = tmp_path / "mentions.csv", tmp_path / "relations.csv"
    frame = pd.read_csv(mentions, dtype=str, keep_default_na=False)
    frame.drop(columns=["sentence"]).to_csv(mentions, index=False)
    frame = pd.read_csv(relations, dtype=str, keep_default_na=False)
    frame[["doc_id", "type", "head", "tail"]].to_csv(relations, index=False)
    loaded = read_table(mentions, "mentions")
    assert list(loaded.columns) == list(COLUMNS["mentions"])
    assert loaded["sentence"].isna().all()
    [gold], failures = gold_from_table(mentions, tmp_path / "json", [], relations)
    assert failures == []
    assert len(gold["relations"]) == len(record["relations"]) == 4


def test_a_windows_1252_report_becomes_gold_and_is_evaluated(nlp, tmp_path, monkeypatch):
    path = tmp_path / "raw" / "latin.txt"
    path.parent.mkdir()
    path.write_bytes(REPORT.replace("μL", "µL").replace("woman", "femme ‘Zoë’").encode("cp1252"))
    text, record = _record(nlp, path)
    assert "femme ‘Zoë’" in text
    write_json_atomic(tmp_path / "json" / "latin.json", record)
    path.unlink()  # the records alone serve, from any folder
    monkeypatch.chdir(tmp_path / "raw")
    assert runner.invoke(app, ["tables", "--pred", "../json", "--out", "tables"]).exit_code == 0
    mentions = read_table(tmp_path / "raw" / "tables" / "mentions.csv", "mentions")
    assert mentions["sentence"].str.contains("femme ‘Zoë’").any()
    result = runner.invoke(
        app,
        ["gold-from-table", "--table", "tables/mentions.csv", "--pred", "../json", "--out", "gold"],
    )
    assert result.exit_code == 0, result.output
    [gold] = load_gold(tmp_path / "raw" / "gold")
    assert gold["text_sha256"] == record["sha256"]
    result = runner.invoke(app, ["evaluate", "--gold", "gold", "--pred", "../json", "--out", "ev"])
    assert result.exit_code == 0, result.output
    scores = json.loads((tmp_path / "raw" / "ev" / "scores.json").read_text(encoding="utf-8"))
    assert scores["spans"]["strict"]["micro"]["f1"] == 1.0


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "parquet"])
def test_read_back_is_exact_whatever_the_column_order(short, tmp_path, suffix):
    _, record = short
    tables = to_tables([record])
    shuffled = tables.mentions[list(reversed(tables.mentions.columns))]
    path = tmp_path / f"mentions.{suffix}"
    if suffix == "csv":
        shuffled.to_csv(path, index=False)
    elif suffix == "xlsx":
        shuffled.to_excel(path, sheet_name="mentions", index=False)
    else:
        shuffled.to_parquet(path, index=False)
    pd.testing.assert_frame_equal(read_table(path, "mentions"), tables.mentions)
