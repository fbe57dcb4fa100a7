"""A round trip through brat: records exported as brat standoff, edited as a curator would in
brat or INCEpTION, imported as gold that `casex evaluate` accepts and scores."""

import json
from pathlib import Path

import pytest
from fake_records import make_record
from typer.testing import CliRunner

from casex.cli import app
from casex.evaluate.gold import load_gold
from casex.io.readers import read_report
from casex.io.standoff import (
    Attribute,
    Entity,
    Note,
    Relation,
    Standoff,
    format_standoff,
    fragments,
    parse_standoff,
)
from casex.io.writers import write_json_atomic
from casex.labels import LABELS
from casex.record import to_record
from casex.version import pipeline_version

REPORT = (
    "Case presentation\n\n"
    "A 58-year-old woman with B-ALL presented with hemoglobin 8.1 g/dL and WBC 12,400/μL. "
    "Blasts were CD19+, CD22+ and CD20-. She received ponatinib 45 mg daily and reached "
    "complete remission with MRD negativity. No response to blinatumomab had been seen "
    "before. Ponatinb was then restarted.\n"
)
runner = CliRunner()


def test_standoff_round_trips():
    standoff = Standoff(
        [
            Entity("T1", "DRUG", ((0, 8), (9, 18)), "complete remission"),
            Entity("T2", "DOSE", ((20, 25),), "45 mg"),
        ],
        [Relation("R1", "DOSE_OF", "T2", "T1")],
        [Attribute("A1", "Negated", "T1"), Attribute("A2", "Case", "T1", "case-2")],
        [Note("#1", "T1", '{"name": "x\\ty"}')],
    )
    content = format_standoff(standoff)
    assert content.splitlines()[0] == "T1\tDRUG 0 8;9 18\tcomplete remission"
    assert "A1\tNegated T1\n" in content and "A2\tCase T1 case-2\n" in content
    parsed, problems = parse_standoff(content.replace("\n", "\r\n"))
    assert problems == []
    assert [e.spans for e in parsed.entities] == [((0, 8), (9, 18)), ((20, 25),)]
    relation = parsed.relations[0]
    assert (relation.type, relation.head, relation.tail) == ("DOSE_OF", "T2", "T1")
    assert [(a.name, a.value) for a in parsed.attributes] == [("Negated", None), ("Case", "case-2")]
    assert parsed.notes[0].text == '{"name": "x\\ty"}'


def test_a_span_is_split_at_line_breaks_as_brat_does():
    text = "complete\r\nremission and more"
    assert fragments(text, 0, 19) == ((0, 8), (10, 19))
    assert fragments(text, 0, 8) == ((0, 8),)


@pytest.mark.parametrize(
    "line,message",
    [
        ("T1\tDRUG x 4\tIO", "line 1: T1 offsets 'x 4' are not START END pairs"),
        ("T1\tDRUG 4 2\tIO", "line 1: T1 offsets '4 2' are not ascending spans"),
        ("T1\tDRUG", "line 1: T1 offsets '' are not START END pairs"),
        ("E1\tTreatment:T1 Theme:T2", "line 1: brat events (E1) are not read by casex"),
        ("N1\tReference T1 DB:1\tx", "line 1: brat normalizations (N1) are not read by casex"),
        ("garbage here", "line 1: 'garbage here' is not the id of a brat annotation"),
        ("R1\tDOSE_OF Arg1:T1", "line 1: R1 is not TYPE Arg1:ID Arg2:ID"),
        ("A1\tNegated", "line 1: A1 is not NAME TARGET [VALUE]"),
        ("#1\tOther T1\tx", "line 1: #1 is not AnnotatorNotes TARGET, tab, TEXT"),
        ("A1\tNegated T7", "line 1: A1 refers to T7, no entity"),
    ],
)
def test_each_malformed_standoff_line_is_named(line, message):
    _, problems = parse_standoff(line + "\n")
    assert problems == [message]


def test_a_duplicate_id_is_named():
    _, problems = parse_standoff("T1\tDRUG 0 2\tIO\nT1\tDRUG 3 5\tIO\n")
    assert problems == ["line 2: id T1 is used twice"]


@pytest.fixture
def exported(nlp, tmp_path):
    """The short report's record under tmp_path/json, exported to tmp_path/brat."""
    path = tmp_path / "raw" / "short.txt"
    path.parent.mkdir()
    path.write_text(REPORT, encoding="utf-8")
    report = read_report(path)
    record = to_record(report, nlp(report.text)._.casex_extraction, pipeline_version())
    write_json_atomic(tmp_path / "json" / "short.json", record)
    result = _cli("brat-export", "--pred", tmp_path / "json", "--out", tmp_path / "brat")
    assert result.exit_code == 0, result.output
    return record


def _cli(*arguments):
    return runner.invoke(app, [str(argument) for argument in arguments])


def _ann_lines(brat: Path) -> list[str]:
    return (brat / "short.ann").read_text(encoding="utf-8").splitlines()


def _entity_id(lines: list[str], text: str) -> str:
    return next(
        line.split("\t")[0] for line in lines if line.startswith("T") and line.endswith(f"\t{text}")
    )


def test_export_writes_what_brat_and_inception_open(exported, tmp_path):
    brat = tmp_path / "brat"
    assert {p.name for p in brat.iterdir()} >= {
        "short.txt",
        "short.ann",
        "annotation.conf",
        "visual.conf",
        "casex-brat.json",
    }
    assert (brat / "short.txt").read_text(encoding="utf-8") == exported["text"]
    conf = (brat / "annotation.conf").read_text(encoding="utf-8")
    entities = conf.split("[entities]\n")[1].split("\n\n")[0].splitlines()
    assert entities == list(LABELS) and {"ADVERSE_EVENT", "THERAPY", "GENETICS"} <= set(entities)
    for line in (
        "DOSE_OF\tArg1:DOSE, Arg2:DRUG|THERAPY",
        "VALUE_OF\tArg1:LAB_VALUE, Arg2:<ENTITY>",
        "RESPONSE_TO\tArg1:RESPONSE, Arg2:DRUG|THERAPY",
        "CAUSED_BY\tArg1:ADVERSE_EVENT, Arg2:DRUG|THERAPY",
        "Negated\tArg:<ENTITY>",
        "Hypothetical\tArg:<ENTITY>",
    ):
        assert line in conf.splitlines()
    assert "Case\tArg:<ENTITY>, Value:case-1|case-2|" in conf
    assert "DRUG\tbgColor:" in (brat / "visual.conf").read_text(encoding="utf-8")
    lines = _ann_lines(brat)
    entities = [line for line in lines if line.startswith("T")]
    assert len(entities) == len(exported["mentions"])
    for line, mention in zip(entities, exported["mentions"]):
        offsets = f"{mention['start']} {mention['end']}"
        assert line == f"T{mention['id'][1:]}\t{mention['label']} {offsets}\t{mention['text']}"
    notes = [json.loads(line.split("\t")[2]) for line in lines if line.startswith("#")]
    assert notes == [mention["normalized"] for mention in exported["mentions"]]


def _curate(brat: Path) -> None:
    """A curator's edits in brat: delete a false mention, add a missed one, flip a negation,
    correct a field in a note."""
    lines = _ann_lines(brat)
    false = _entity_id(lines, "blinatumomab")
    lines = [
        line
        for line in lines
        if not (line.split("\t")[0] == false or f" {false}" in line or f":{false}" in line)
    ]
    start = REPORT.index("Ponatinb")
    lines += [
        f"T99\tDRUG {start} {start + len('Ponatinb')}\tPonatinb",
        "A99\tCase T99 case-1",
        '#99\tAnnotatorNotes T99\t{"name": "ponatinib", "brand": null}',
        f"A98\tNegated {_entity_id(lines, 'complete remission')}",
    ]
    dose_note = f"AnnotatorNotes {_entity_id(lines, '45 mg')}"
    lines = [
        line.replace('"route": null', '"route": "PO"') if dose_note in line else line
        for line in lines
    ]
    (brat / "short.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_round_trip_through_brat(exported, tmp_path):
    brat, gold_dir = tmp_path / "brat", tmp_path / "gold"
    _curate(brat)
    result = _cli("brat-import", "--brat", brat, "--out", gold_dir)
    assert result.exit_code == 0, result.output
    [gold] = load_gold(gold_dir)
    assert gold["doc_id"] == "short"
    assert gold["text_sha256"] == exported["sha256"]
    mentions = gold["mentions"]
    assert [m["id"] for m in mentions] == [f"g{n}" for n in range(1, 12)]
    assert [m["text"] for m in mentions] == [
        "8.1 g/dL", "12,400/μL", "CD19+", "CD22+", "CD20-", "ponatinib", "45 mg",
        "complete remission", "MRD negativity", "No response", "Ponatinb",
    ]  # fmt: skip
    for mention in mentions:
        assert REPORT[mention["start"] : mention["end"]] == mention["text"]
    by_text = {m["text"]: m for m in mentions}
    assert by_text["Ponatinb"]["normalized"] == {
        "name": "ponatinib",
        "brand": None,
        "drugbank_id": None,  # a note that leaves a key out gives null
        "mesh_id": None,
    }
    assert by_text["Ponatinb"]["case_id"] == "case-1"
    assert by_text["complete remission"]["negated"] is True
    assert sum(m["negated"] for m in mentions) == 1
    assert by_text["45 mg"]["normalized"]["route"] == "PO"
    assert by_text["45 mg"]["normalized"]["value"] == 45.0
    names = {m["id"]: m["text"] for m in mentions}
    assert sorted((r["type"], names[r["head"]], names[r["tail"]]) for r in gold["relations"]) == [
        ("DOSE_OF", "45 mg", "ponatinib"),
        ("RESPONSE_TO", "MRD negativity", "ponatinib"),
        ("RESPONSE_TO", "complete remission", "ponatinib"),
    ]
    assert gold["cases"] == [
        {"case_id": "case-1", "age": 58, "sex": "female", "diagnosis": "B-ALL"}
    ]

    result = _cli(
        "evaluate", "--gold", gold_dir, "--pred", tmp_path / "json", "--out", tmp_path / "eval"
    )
    assert result.exit_code == 0, result.output
    scores = json.loads((tmp_path / "eval" / "scores.json").read_text(encoding="utf-8"))
    drug = scores["spans"]["strict"]["DRUG"]
    assert (drug["precision"], drug["recall"], drug["gold"], drug["pred"]) == (0.5, 0.5, 2, 2)
    assert scores["spans"]["strict"]["IMMUNOPHENOTYPE"]["f1"] == 1.0
    assert scores["fields"]["negated"] == {"correct": 9, "total": 10, "accuracy": 0.9}
    assert scores["fields"]["DOSE.route"]["accuracy"] == 0.0
    assert scores["fields"]["DOSE.value"]["accuracy"] == 1.0
    relations = scores["relations"]
    assert (relations["gold"], relations["pred"], relations["tp"]) == (3, 4, 3)


def test_a_record_read_from_a_pdf_becomes_gold(tmp_path):
    # A PDF's record: its sha256 is that of the PDF's bytes, not of the text it carries.
    record = make_record(
        "paper",
        "Ponatinib, then CR.\n",
        [("DRUG", "Ponatinib"), ("RESPONSE", "CR")],
        sha256="ab" * 32,
    )
    write_json_atomic(tmp_path / "json" / "paper.json", record)
    assert (
        _cli("brat-export", "--pred", tmp_path / "json", "--out", tmp_path / "brat").exit_code == 0
    )
    result = _cli("brat-import", "--brat", tmp_path / "brat", "--out", tmp_path / "gold")
    assert result.exit_code == 0, result.output
    [gold] = load_gold(tmp_path / "gold")
    assert gold["text_sha256"] == "ab" * 32
    result = _cli(
        "evaluate",
        "--gold",
        tmp_path / "gold",
        "--pred",
        tmp_path / "json",
        "--out",
        tmp_path / "eval",
    )
    assert result.exit_code == 0, result.output
    assert "micro" in result.output


def test_export_never_overwrites_an_edited_ann(exported, tmp_path):
    brat = tmp_path / "brat"
    assert _cli("brat-export", "--pred", tmp_path / "json", "--out", brat).exit_code == 0
    _curate(brat)
    edited = (brat / "short.ann").read_bytes()
    result = _cli("brat-export", "--pred", tmp_path / "json", "--out", brat)
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"casex: error: {brat / 'short.ann'} was edited since casex wrote it; it is not "
        "overwritten (move it away, or use --force)"
    )
    assert (brat / "short.ann").read_bytes() == edited
    assert _cli("brat-export", "--pred", tmp_path / "json", "--out", brat, "--force").exit_code == 0
    assert (brat / "short.ann").read_bytes() != edited


def _import_problems(tmp_path: Path, edit) -> list[str]:
    brat = tmp_path / "brat"
    lines = edit(_ann_lines(brat))
    (brat / "short.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _cli("brat-import", "--brat", brat, "--out", tmp_path / "gold")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert not (tmp_path / "gold" / "short.jsonl").exists()
    return result.output.strip().splitlines()[:-1]


@pytest.mark.parametrize(
    "edit,message",
    [
        (
            lambda lines: [*lines, "T50\tDRUG 0 4\tCase"],
            "short.ann line 38 (T50): no note; its normalized fields are one AnnotatorNotes "
            'JSON object: {"name": null, "brand": null, "drugbank_id": null, "mesh_id": null}',
        ),
        (
            lambda lines: [*lines, "T50\tDISEASE 0 4\tCase", "#50\tAnnotatorNotes T50\t{}"],
            "short.ann line 38 (T50): label 'DISEASE' is not one of",
        ),
        (
            lambda lines: [*lines, "T50\tDRUG 0 4\tCasX", '#50\tAnnotatorNotes T50\t{"name": "x"}'],
            "short.ann line 38 (T50): text 'CasX' is not the report text at 0:4",
        ),
        (
            lambda lines: [
                *lines,
                "T50\tDRUG 0 4;9 14\tCase 8-yea",
                '#50\tAnnotatorNotes T50\t{"name": "x"}',
            ],
            "short.ann line 38 (T50): a discontinuous span",
        ),
        (
            lambda lines: [line.replace('"route": null', '"route": "oral"') for line in lines],
            "(T7): normalized route: 'oral' is not one of",
        ),
        (
            lambda lines: [line.replace('{"marker": "CD19"', '{"marker" "CD19"') for line in lines],
            "short.ann line 29 (#3): the note of T3 is not JSON (Expecting ':' delimiter)",
        ),
        (
            lambda lines: [*lines, "A50\tConfidence T3 high"],
            "short.ann line 38 (A50): Confidence is neither a flag",
        ),
        (
            lambda lines: [*lines, "A50\tCase T3 patient-2"],
            "short.ann line 3 (T3): case_id 'patient-2' is not case-1",
        ),
        (
            lambda lines: [*lines, "R50\tKILLS Arg1:T3 Arg2:T4"],
            "short.ann line 38 (R50): type 'KILLS' is not one of",
        ),
        (
            lambda lines: [*lines, "T50\tDRUG 0 999\tx", '#50\tAnnotatorNotes T50\t{"name": "x"}'],
            "short.ann line 38 (T50): end 999 is past the end of the report text",
        ),
        (
            lambda lines: [*lines, "T50\tDRUG 0 x\tx"],
            "short.ann line 38: T50 offsets '0 x' are not START END pairs",
        ),
    ],
)
def test_each_import_problem_names_its_line(exported, tmp_path, edit, message):
    problems = _import_problems(tmp_path, edit)
    assert len(problems) == 1, problems
    assert problems[0].startswith("casex: error: short: ")
    assert message in problems[0]


def test_a_changed_text_is_refused(exported, tmp_path):
    (tmp_path / "brat" / "short.txt").write_text(REPORT.replace("woman", "man"), "utf-8")
    problems = _import_problems(tmp_path, lambda lines: lines)
    assert problems == [
        "casex: error: short: short.txt changed since `casex brat-export` wrote it: the report "
        "text must stay as exported"
    ]


def test_extended_labels_can_be_curated_in_brat(tmp_path):
    text = "Ponatinib was given; pancreatitis followed.\n"
    record = make_record("ae", text, [("DRUG", "Ponatinib")])
    write_json_atomic(tmp_path / "json" / "ae.json", record)
    assert (
        _cli("brat-export", "--pred", tmp_path / "json", "--out", tmp_path / "brat").exit_code == 0
    )
    start = text.index("pancreatitis")
    with (tmp_path / "brat" / "ae.ann").open("a", encoding="utf-8") as ann:
        ann.write(
            f"T2\tADVERSE_EVENT {start} {start + 12}\tpancreatitis\n"
            '#2\tAnnotatorNotes T2\t{"term": "pancreatitis", "grade": 3}\n'
            "R1\tCAUSED_BY Arg1:T2 Arg2:T1\n"
        )
    result = _cli("brat-import", "--brat", tmp_path / "brat", "--out", tmp_path / "gold")
    assert result.exit_code == 0, result.output
    [gold] = load_gold(tmp_path / "gold")
    assert [(m["id"], m["label"]) for m in gold["mentions"]] == [
        ("g1", "DRUG"),
        ("g2", "ADVERSE_EVENT"),
    ]
    assert gold["mentions"][1]["normalized"] == {"term": "pancreatitis", "grade": 3}
    assert gold["relations"] == [{"type": "CAUSED_BY", "head": "g2", "tail": "g1"}]
    arguments = ["--pred", tmp_path / "json", "--out", tmp_path / "eval"]
    result = _cli("evaluate", "--gold", tmp_path / "gold", *arguments)
    assert result.exit_code == 0, result.output
    scores = json.loads((tmp_path / "eval" / "scores.json").read_text(encoding="utf-8"))
    assert scores["spans"]["strict"]["micro"]["f1"] == 1.0  # the core labels
