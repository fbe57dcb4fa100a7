import json

from typer.testing import CliRunner

from casex.cli import app

runner = CliRunner()
REPORT = (
    "Case presentation\n\nA 50-year-old man received rituximab 375 mg/m2 IV. WBC was 3,200/μL.\n"
)


def test_bad_files_are_reported_and_the_batch_goes_on(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text(REPORT, encoding="utf-8")
    (src / "empty.txt").write_text("", encoding="utf-8")
    (src / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (src / "latin.txt").write_bytes(
        "Case presentation\n\nA 40-year-old woman, h\xe9moglobine 9 g/dL.\n".encode("cp1252")
    )
    (src / "notes.docx").write_bytes(b"x")
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["extract", str(src), str(src / "notes.docx"), "--out", str(out), "--quiet"]
    )
    assert result.exit_code == 1
    assert "empty.txt: empty file" in result.output
    assert "broken.pdf: corrupt PDF" in result.output
    assert "notes.docx: unsupported extension" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in out.glob("*.json")) == ["good.json", "latin.json"]
    record = json.loads((out / "good.json").read_text(encoding="utf-8"))
    assert {m["label"] for m in record["mentions"]} == {"DRUG", "DOSE", "LAB_VALUE"}
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert len(errors) == 3
    assert not list(out.glob(".*.tmp"))


def test_help_explains_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("extract", "evaluate", "run"):
        assert command in result.output
