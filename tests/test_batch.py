"""Batches: resume, --force, interruption, the error summary, and the Dask engine."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from casex import batch
from casex.batch import ERRORS_FILE, extract

REPORT = (
    "Case presentation\n\nA 61-year-old man with DLBCL received rituximab 375 mg/m2 IV on day 1 "
    "every 3 weeks. Hb was 9.1 g/dL. PET showed a complete metabolic response (Deauville 2).\n"
)


@pytest.fixture
def reports(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for number in range(5):
        (folder / f"r{number}.txt").write_text(REPORT.replace("61", str(50 + number)), "utf-8")
    return folder


def test_rerun_skips_current_records_and_force_redoes_them(reports, tmp_path):
    out = tmp_path / "out"
    first = extract([reports], out, quiet=True)
    assert len(first.written) == 5 and not first.skipped
    stamp = (out / "r0.json").stat().st_mtime_ns
    second = extract([reports], out, quiet=True)
    assert len(second.skipped) == 5 and not second.written
    assert (out / "r0.json").stat().st_mtime_ns == stamp
    (reports / "r1.txt").write_text(REPORT + "Platelets were 90,000/μL.\n", "utf-8")
    third = extract([reports], out, quiet=True)
    assert third.written == [str(reports / "r1.txt")]
    forced = extract([reports], out, quiet=True, force=True)
    assert len(forced.written) == 5


def test_record_of_other_rules_is_redone(reports, tmp_path, monkeypatch):
    out = tmp_path / "out"
    extract([reports], out, quiet=True)
    monkeypatch.setattr(batch, "pipeline_version", lambda: "0.0.0+000000000000")
    assert len(extract([reports], out, quiet=True).written) == 5


def test_errors_are_summarised_beside_the_records(reports, tmp_path):
    (reports / "empty.txt").write_text("", "utf-8")
    out = tmp_path / "out"
    result = extract([reports], out, quiet=True)
    assert [f["file"] for f in result.failures] == [str(reports / "empty.txt")]
    lines = (out / ERRORS_FILE).read_text("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [
        {"file": str(reports / "empty.txt"), "reason": "empty file"}
    ]
    (reports / "empty.txt").unlink()
    extract([reports], out, quiet=True)
    assert not (out / ERRORS_FILE).exists()


def test_interrupted_run_leaves_only_complete_records(reports, tmp_path, monkeypatch):
    out = tmp_path / "out"
    real_replace = os.replace
    calls = []

    def interrupted_replace(source, target):
        calls.append(target)
        if len(calls) == 3:
            raise KeyboardInterrupt
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", interrupted_replace)
    with pytest.raises(KeyboardInterrupt):
        extract([reports], out, quiet=True)
    monkeypatch.undo()
    records = sorted(out.glob("*.json"))
    assert len(records) == 2
    assert all(json.loads(p.read_text("utf-8"))["mentions"] for p in records)
    assert not list(out.glob(".*.tmp"))
    resumed = extract([reports], out, quiet=True)
    assert len(resumed.skipped) == 2 and len(resumed.written) == 3


def test_killed_run_leaves_no_half_written_record(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(80):
        (folder / f"r{number:02}.txt").write_text(REPORT * 20, "utf-8")
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "casex.cli",
        "extract",
        str(folder),
        "--out",
        str(out),
        "-q",
    ]
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and len(list(out.glob("*.json"))) < 3:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    records = list(out.glob("*.json"))
    assert 3 <= len(records) < 80
    for record in records:
        json.loads(record.read_text("utf-8"))
    resumed = extract([folder], out, quiet=True)
    assert len(resumed.skipped) == len(records)
    assert len(list(out.glob("*.json"))) == 80
    assert not list(out.glob(".*.tmp"))


def test_worker_processes_and_dask_write_the_same_records(reports, tmp_path):
    local, processes, dask = tmp_path / "local", tmp_path / "processes", tmp_path / "dask"
    extract([reports], local, quiet=True)
    extract([reports], processes, quiet=True, jobs=2)
    extract([reports], dask, quiet=True, jobs=2, dask=True)
    for record in sorted(local.glob("*.json")):
        assert (processes / record.name).read_bytes() == record.read_bytes()
        assert (dask / record.name).read_bytes() == record.read_bytes()
    assert len(list(dask.glob("*.json"))) == 5


def test_records_name_their_rules(reports, tmp_path):
    extract([reports], tmp_path / "out", quiet=True)
    record = json.loads((tmp_path / "out" / "r0.json").read_text("utf-8"))
    assert record["casex_version"] == batch.pipeline_version()
    assert record["sha256"] and Path(record["source"]).name == "r0.txt"
