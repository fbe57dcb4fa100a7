"""A batch never loses work: every bad input is named once, on screen and in errors.jsonl,
and nothing of another input or of a live run is overwritten or removed."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from casex.batch import ERRORS_FILE, extract
from casex.cli import app

REPORT = "Case presentation\n\nA 50-year-old man received rituximab 375 mg/m2 IV. Hb 9.1 g/dL.\n"
runner = CliRunner()


def _errors(out):
    return [json.loads(line) for line in (out / ERRORS_FILE).read_text("utf-8").splitlines()]


def _labels(out, doc_id):
    record = json.loads((out / f"{doc_id}.json").read_text("utf-8"))
    return {m["label"] for m in record["mentions"]}


def test_text_over_the_limit_is_refused_and_the_rest_is_written(tmp_path):
    (tmp_path / "long.txt").write_text(REPORT * 50, "utf-8")
    (tmp_path / "short.txt").write_text(REPORT, "utf-8")
    out = tmp_path / "out"
    result = extract([tmp_path / "long.txt", tmp_path / "short.txt"], out, max_chars=1000)
    assert result.written == [str(tmp_path / "short.txt")]
    (failure,) = result.failures
    assert failure["file"] == str(tmp_path / "long.txt") and "--max-chars" in failure["reason"]
    assert _errors(out) == [failure]


def test_text_longer_than_spacy_default_is_extracted(tmp_path):
    text = REPORT + ("The patient was observed. " * 40_000) + "Platelets were 90,000/μL.\n"
    assert len(text) > 1_000_000
    (tmp_path / "long.txt").write_text(text, "utf-8")
    result = extract([tmp_path / "long.txt"], tmp_path / "out")
    assert result.written and not result.failures
    assert _labels(tmp_path / "out", "long") >= {"DRUG", "DOSE", "LAB_VALUE"}


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_exception_in_the_pipeline_costs_one_report(tmp_path, monkeypatch, jobs):
    from casex import nlp as nlp_module

    real = nlp_module.shared_nlp()
    monkeypatch.setattr(real, "max_length", real.max_length)

    class Exploding:
        def __call__(self, text):
            if "explode" in text:
                raise ValueError("boom")
            return real(text)

        def __getattr__(self, name):
            return getattr(real, name)

        def __setattr__(self, name, value):
            setattr(real, name, value)

    monkeypatch.setattr(nlp_module, "shared_nlp", lambda: Exploding())
    for number in range(20):
        (tmp_path / f"r{number:02}.txt").write_text(REPORT, "utf-8")
    (tmp_path / "r05.txt").write_text(REPORT + "explode\n", "utf-8")
    out = tmp_path / "out"
    result = extract([tmp_path], out, jobs=jobs)
    assert len(result.written) == 19
    assert result.failures == [
        {"file": str(tmp_path / "r05.txt"), "reason": "internal error: ValueError: boom"}
    ]
    assert _errors(out) == result.failures


def test_same_doc_id_is_refused_never_overwritten(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text(REPORT.replace("50", folder), "utf-8")
    out = tmp_path / "out"
    first = extract([tmp_path / "a", tmp_path / "b"], out)
    assert first.written == [str(tmp_path / "a" / "report.txt")]
    assert "also that of" in first.failures[0]["reason"]
    record = json.loads((out / "report.json").read_text("utf-8"))
    assert record["source"] == str((tmp_path / "a" / "report.txt").resolve())
    # another run naming only b/report.txt: the record of a/report.txt is not its to replace
    second = extract([tmp_path / "b"], out, force=True)
    assert (
        not second.written and "holds the record of another report" in second.failures[0]["reason"]
    )
    assert json.loads((out / "report.json").read_text("utf-8")) == record


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-8-sig"])
def test_byte_order_marks_decide_the_encoding(tmp_path, encoding):
    (tmp_path / "bom.txt").write_bytes(REPORT.encode(encoding))
    result = extract([tmp_path / "bom.txt"], tmp_path / "out")
    assert result.written
    record = json.loads((tmp_path / "out" / "bom.json").read_text("utf-8"))
    assert record["text"] == REPORT
    assert {m["label"] for m in record["mentions"]} >= {"DRUG", "DOSE", "LAB_VALUE"}


def test_binary_file_is_an_error_and_legacy_text_is_detected(tmp_path):
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    latin = "Case presentation\n\nUne femme de 40 ans, hémoglobine 9 g/dL, fièvre, éruption.\n"
    (tmp_path / "latin.txt").write_bytes(latin.encode("cp1252"))
    result = extract([tmp_path], tmp_path / "out")
    assert result.failures == [
        {"file": str(tmp_path / "image.txt"), "reason": "binary file (NUL bytes), not text"}
    ]
    record = json.loads((tmp_path / "out" / "latin.json").read_text("utf-8"))
    assert record["text"] == latin


def test_errors_of_inputs_not_redone_are_kept(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "empty.txt").write_text("", "utf-8")
    (tmp_path / "b" / "good.txt").write_text(REPORT, "utf-8")
    out = tmp_path / "out"
    extract([tmp_path / "a"], out)
    extract([tmp_path / "b"], out)
    assert [e["file"] for e in _errors(out)] == [str(tmp_path / "a" / "empty.txt")]
    (tmp_path / "a" / "empty.txt").write_text(REPORT, "utf-8")
    extract([tmp_path / "a"], out)
    assert not (out / ERRORS_FILE).exists()


def test_output_that_is_a_file_is_one_error_before_any_work(tmp_path, monkeypatch):
    (tmp_path / "in.txt").write_text(REPORT, "utf-8")
    (tmp_path / "taken").write_text("", "utf-8")

    def never(*args):
        raise AssertionError("the pipeline was built")

    monkeypatch.setattr("casex.nlp.build_nlp", never)
    for out in (tmp_path / "taken", tmp_path / "taken" / "sub"):
        result = runner.invoke(app, ["extract", str(tmp_path / "in.txt"), "--out", str(out)])
        assert result.exit_code == 2
        assert result.output.count("\n") == 1 and result.output.startswith("casex: error: ")
        assert "Traceback" not in result.output


def test_full_disk_is_one_error_and_nothing_half_written(tmp_path, monkeypatch):
    import errno

    (tmp_path / "in.txt").write_text(REPORT, "utf-8")
    out = tmp_path / "out"
    real_replace = os.replace

    def full(source, target):
        if str(target).endswith(".json"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", full)
    result = runner.invoke(app, ["extract", str(tmp_path / "in.txt"), "--out", str(out), "-q"])
    assert result.exit_code == 2
    assert "no space left on device" in result.output and "Traceback" not in result.output
    assert not list(out.glob("*.json")) and not list(out.glob(".*.tmp"))


def test_temporaries_of_live_runs_are_kept_and_dead_ones_removed(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    live = out / f".r1.json.{os.getppid()}.abc123.tmp"
    dead_pid = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    ).stdout.strip()
    dead = out / f".r2.json.{dead_pid}.abc123.tmp"
    live.write_text("{", "utf-8")
    dead.write_text("{", "utf-8")
    (tmp_path / "in.txt").write_text(REPORT, "utf-8")
    extract([tmp_path / "in.txt"], out)
    assert live.exists() and not dead.exists()


def test_sigterm_stops_like_ctrl_c(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(60):
        (folder / f"r{number:02}.txt").write_text(REPORT * 30, "utf-8")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "casex.cli", "extract", str(folder), "--out", str(out)]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and len(list(out.glob("*.json"))) < 2:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "interrupted" in stderr and "Traceback" not in stderr
    for record in out.glob("*.json"):
        json.loads(record.read_text("utf-8"))
    assert not list(out.glob(".*.tmp"))


def test_walked_entries_not_taken_are_reported(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "good.txt").write_text(REPORT, "utf-8")
    (reports / "notes.docx").write_bytes(b"x")
    (reports / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (reports / "loop").symlink_to(reports)
    (reports / "bad\nname.txt").write_text("", "utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["extract", str(reports), "--out", str(out), "-q"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) == 4, lines
    assert any("notes.docx: not a .txt or .pdf file" in line for line in lines)
    assert any("gone.txt: broken link" in line for line in lines)
    assert any("loop: link" in line for line in lines)
    assert any("bad\\nname.txt: empty file" in line for line in lines)
    assert {e["file"] for e in _errors(out)} == {
        str(reports / n) for n in ("notes.docx", "gone.txt", "loop", "bad\nname.txt")
    }
