"""Scores as a printed table, `scores.json` and a readable `report.md` of every error."""

from __future__ import annotations

from pathlib import Path

from casex.io.writers import write_json_atomic, write_text_atomic
from casex.labels import CORE_LABELS, EXTENDED_LABELS
from casex.normalizers.sentence_bounds import sentence_around, sentence_start_chars


def score_table(scores: dict) -> str:
    """Per-label strict and lenient P/R/F1, field accuracy and relation scores: the core
    labels, then the extended labels."""
    lines = _group_table(scores, CORE_LABELS)
    if "extended" in scores:
        lines += ["", "extended labels (spec section 10)"]
        lines += _group_table(scores["extended"], EXTENDED_LABELS)
    return "\n".join(lines)


def _group_table(scores: dict, labels: tuple[str, ...]) -> list[str]:
    lines = [
        f"{'label':<16} {'gold':>5} {'pred':>5}  {'strict P/R/F1':>20}  {'lenient P/R/F1':>20}"
    ]
    for label in (*labels, "micro"):
        s, w = scores["spans"]["strict"][label], scores["spans"]["lenient"][label]
        lines.append(f"{label:<16} {w['gold']:>5} {w['pred']:>5}  {_prf(s):>20}  {_prf(w):>20}")
    fields = scores["fields"]
    lines.append(
        f"normalized-field accuracy {scores['normalized_accuracy']}; "
        f"negated {fields.get('negated', {}).get('accuracy')}; "
        f"case_id {fields.get('case_id', {}).get('accuracy')}"
    )
    r = scores["relations"]
    lines.append(
        f"relations P/R/F1 {r['precision']:.3f}/{r['recall']:.3f}/{r['f1']:.3f} "
        f"(gold {r['gold']}, pred {r['pred']}, correct {r['tp']})"
    )
    return lines


def write_report(scores: dict, texts: dict[str, str], out_dir: Path) -> None:
    """`scores.json` and `report.md` (errors with their sentence) under `out_dir`."""
    write_json_atomic(out_dir / "scores.json", scores)
    lines = [
        "# casex evaluation",
        "",
        "```",
        score_table(scores),
        "```",
        "",
        "## Field accuracy",
        "",
    ]
    groups = [scores] + ([scores["extended"]] if "extended" in scores else [])
    lines += [
        f"- {k}: {v['accuracy']} ({v['correct']}/{v['total']})"
        for group, prefix in zip(groups, ("", "extended "))
        for k, v in ((prefix + key, value) for key, value in group["fields"].items())
    ]
    lines += ["", "## Errors", ""]
    starts = {doc_id: sentence_start_chars(text) for doc_id, text in texts.items()}
    for error in (e for group in groups for e in group["errors"]):
        text = texts.get(error["doc_id"], "")
        sentence = sentence_around(
            text, starts.get(error["doc_id"], []), error["start"], error["end"]
        )
        detail = f" {error['fields']}" if "fields" in error else ""
        lines.append(
            f"- **{error['kind']}** {error['label']} `{error['text']}` "
            f"({error['doc_id']} {error['start']}){detail}  \n  > {sentence}"
        )
    write_text_atomic(out_dir / "report.md", "\n".join(lines) + "\n")


def _prf(s: dict) -> str:
    return f"{s['precision']:.3f}/{s['recall']:.3f}/{s['f1']:.3f}"
