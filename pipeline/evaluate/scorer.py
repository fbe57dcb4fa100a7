"""Scores of predicted records against gold: span P/R/F1 (strict and lenient, by nervaluate),
then, on matched pairs, accuracy of each normalized key, of `negated` and `case_id`, and
relation P/R/F1. No spaCy here."""

from __future__ import annotations

from collections import defaultdict

from nervaluate import Evaluator

from casex.labels import CORE_LABELS, EXTENDED_LABELS, LABEL_KEYS

MODES = {"strict": "strict", "lenient": "ent_type"}


def score(pairs: list[tuple[dict, dict]]) -> dict:
    """Scores for (gold document, predicted record) pairs: the core labels at the top level,
    the extended labels (and the relations that reach one) under `extended`."""
    every = [match_mentions(g["mentions"], p["mentions"]) for g, p in pairs]
    return {
        "documents": len(pairs),
        **_score_labels(pairs, every, CORE_LABELS),
        "extended": _score_labels(pairs, every, EXTENDED_LABELS),
    }


def _score_labels(
    pairs: list[tuple[dict, dict]], every: list[dict[int, int]], labels: tuple[str, ...]
) -> dict:
    """Span, field and relation scores of one group of labels. Relations count for the group
    when an end has one of its labels (CAUSED_BY to a drug is an extended relation)."""
    gold_mentions = [_only(g["mentions"], labels) for g, _ in pairs]
    pred_mentions = [_only(p["mentions"], labels) for _, p in pairs]
    results = Evaluator(gold_mentions, pred_mentions, tags=list(labels), loader="dict").evaluate()
    spans = {
        mode: {label: _prf(results["entities"].get(label, {}).get(key)) for label in labels}
        for mode, key in MODES.items()
    }
    for mode, key in MODES.items():
        spans[mode]["micro"] = _prf(results["overall"][key])
    fields: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    relations = {"tp": 0, "gold": 0, "pred": 0}
    errors = []
    for (gold, pred), g_mentions, p_mentions, every_match in zip(
        pairs, gold_mentions, pred_mentions, every
    ):
        matches = match_mentions(g_mentions, p_mentions)
        for g_index, p_index in matches.items():
            g, p = g_mentions[g_index], p_mentions[p_index]
            for key in sorted(LABEL_KEYS[g["label"]]):
                if key not in g["normalized"]:  # older gold has no drug identifiers
                    continue
                _count(
                    fields[f"{g['label']}.{key}"], same_field(key, g["normalized"], p["normalized"])
                )
            _count(fields["negated"], g["negated"] == p["negated"])
            _count(fields["case_id"], g["case_id"] == p["case_id"])
        _count_relations(
            relations, gold, pred, gold["mentions"], pred["mentions"], every_match, labels
        )
        errors += _errors(gold, g_mentions, p_mentions, matches)
    return {
        "spans": spans,
        "fields": {
            k: {"correct": c, "total": t, "accuracy": round(c / t, 4) if t else None}
            for k, (c, t) in sorted(fields.items())
        },
        "normalized_accuracy": _overall(fields, lambda k: "." in k),
        "relations": _relation_prf(relations),
        "errors": errors,
    }


def match_mentions(gold: list[dict], pred: list[dict]) -> dict[int, int]:
    """Gold index -> predicted index: same label and overlapping spans, exact matches first,
    each mention used at most once."""
    matches: dict[int, int] = {}
    used: set[int] = set()
    for exact in (True, False):
        for gi, g in enumerate(gold):
            if gi in matches:
                continue
            for pi, p in enumerate(pred):
                if pi in used or p["label"] != g["label"]:
                    continue
                if (
                    (p["start"], p["end"]) == (g["start"], g["end"])
                    if exact
                    else (p["start"] < g["end"] and g["start"] < p["end"])
                ):
                    matches[gi] = pi
                    used.add(pi)
                    break
    return matches


def same_field(key: str, gold: dict, pred: dict) -> bool:
    """Whether a normalized field agrees; two drug names also agree when the mentions share a
    `drugbank_id` or `mesh_id` (spec section 8)."""
    if same_value(gold.get(key), pred.get(key)):
        return True
    return key == "name" and any(
        gold.get(id_key) is not None and gold.get(id_key) == pred.get(id_key)
        for id_key in ("drugbank_id", "mesh_id")
    )


def same_value(gold: object, pred: object) -> bool:
    """Equality with a relative tolerance of 1% for numbers (SI conversions round)."""
    if (
        isinstance(gold, (int, float))
        and isinstance(pred, (int, float))
        and not isinstance(gold, bool)
    ):
        return abs(gold - pred) <= 0.01 * max(abs(gold), abs(pred), 1e-12)
    return gold == pred


def _only(mentions: list[dict], labels: tuple[str, ...]) -> list[dict]:
    return [m for m in mentions if m["label"] in labels]


def _prf(result) -> dict:
    if result is None:  # a label absent from both gold and prediction
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0, "gold": 0, "pred": 0, "correct": 0}
    return {
        "precision": round(result.precision, 4),
        "recall": round(result.recall, 4),
        "f1": round(result.f1, 4),
        "gold": result.possible,
        "pred": result.actual,
        "correct": result.correct,
    }


def _count(cell: list[int], ok: bool) -> None:
    cell[0] += int(ok)
    cell[1] += 1


def _overall(fields: dict, which) -> float | None:
    correct = sum(c for k, (c, _) in fields.items() if which(k))
    total = sum(t for k, (_, t) in fields.items() if which(k))
    return round(correct / total, 4) if total else None


def _count_relations(
    counts: dict,
    gold: dict,
    pred: dict,
    g_mentions: list,
    p_mentions: list,
    matches: dict[int, int],
    labels: tuple[str, ...],
) -> None:
    """Counts the relations of which an end has one of `labels`; an end of the other group
    makes a core relation an extended one (`CR after R-CHOP`)."""

    def kept(relations: list[dict], mentions: list[dict]) -> set[tuple[str, int, int]]:
        index = {m["id"]: i for i, m in enumerate(mentions)}
        found = set()
        for r in relations:
            if r["head"] not in index or r["tail"] not in index:
                continue
            ends = {mentions[index[r["head"]]]["label"], mentions[index[r["tail"]]]["label"]}
            core = ends <= set(CORE_LABELS)
            if core == (labels == CORE_LABELS):
                found.add((r["type"], index[r["head"]], index[r["tail"]]))
        return found

    g_rel = kept(gold["relations"], g_mentions)
    p_rel = kept(pred["relations"], p_mentions)
    counts["gold"] += len(g_rel)
    counts["pred"] += len(p_rel)
    counts["tp"] += sum((t, matches.get(h), matches.get(tl)) in p_rel for t, h, tl in g_rel)


def _relation_prf(counts: dict) -> dict:
    p = counts["tp"] / counts["pred"] if counts["pred"] else 0.0
    r = counts["tp"] / counts["gold"] if counts["gold"] else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4), **counts}


def _errors(gold: dict, g_mentions: list, p_mentions: list, matches: dict[int, int]) -> list[dict]:
    """False negatives, false positives and field mismatches, for the readable report."""
    found = []
    for gi, g in enumerate(g_mentions):
        if gi not in matches:
            found.append(_error(gold["doc_id"], "FN", g))
            continue
        p = p_mentions[matches[gi]]
        wrong = {
            k: (g["normalized"].get(k), p["normalized"].get(k))
            for k in LABEL_KEYS[g["label"]]
            if k in g["normalized"] and not same_field(k, g["normalized"], p["normalized"])
        }
        wrong.update(
            {flag: (g[flag], p[flag]) for flag in ("negated", "case_id") if g[flag] != p[flag]}
        )
        if wrong:
            fields = {k: {"gold": v[0], "pred": v[1]} for k, v in wrong.items()}
            found.append(_error(gold["doc_id"], "FIELD", g, fields=fields))
    matched_pred = set(matches.values())
    found += [
        _error(gold["doc_id"], "FP", p) for pi, p in enumerate(p_mentions) if pi not in matched_pred
    ]
    return found


def _error(doc_id: str, kind: str, mention: dict, **extra: object) -> dict:
    keys = ("label", "start", "end", "text")
    return {"doc_id": doc_id, "kind": kind, **{k: mention[k] for k in keys}, **extra}
