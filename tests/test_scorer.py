import pytest

from casex.evaluate.scorer import match_mentions, score


def mention(mid, label, start, end, **fields):
    normalized = {"DRUG": {"name": "x", "brand": None}}.get(label, {})
    normalized.update(fields)
    return {
        "id": mid,
        "label": label,
        "start": start,
        "end": end,
        "text": "t",
        "negated": False,
        "case_id": None,
        "normalized": normalized,
    }


def doc(mentions, relations=()):
    return {"doc_id": "d", "mentions": mentions, "relations": list(relations)}


def test_known_precision_recall():
    gold = doc(
        [mention("g1", "DRUG", 0, 5), mention("g2", "DRUG", 10, 15), mention("g3", "DRUG", 20, 25)]
    )
    pred = doc(
        [mention("m1", "DRUG", 0, 5), mention("m2", "DRUG", 11, 15), mention("m3", "DRUG", 40, 45)]
    )
    scores = score([(gold, pred)])
    strict, lenient = scores["spans"]["strict"]["DRUG"], scores["spans"]["lenient"]["DRUG"]
    assert (strict["precision"], strict["recall"]) == (
        pytest.approx(1 / 3, abs=1e-3),
        pytest.approx(1 / 3, abs=1e-3),
    )
    assert (lenient["precision"], lenient["recall"]) == (
        pytest.approx(2 / 3, abs=1e-3),
        pytest.approx(2 / 3, abs=1e-3),
    )
    assert lenient["f1"] == pytest.approx(2 / 3, abs=1e-3)
    kinds = sorted(e["kind"] for e in scores["errors"])
    assert kinds == ["FN", "FP"]


def test_label_must_agree():
    gold = doc([mention("g1", "DRUG", 0, 5)])
    pred = doc([mention("m1", "DOSE", 0, 5)])
    assert score([(gold, pred)])["spans"]["lenient"]["DRUG"]["recall"] == 0


def test_each_gold_mention_matches_once():
    gold = [mention("g1", "DRUG", 0, 10)]
    pred = [mention("m1", "DRUG", 0, 4), mention("m2", "DRUG", 5, 10)]
    assert match_mentions(gold, pred) == {0: 0}


def test_field_accuracy_and_relations():
    gold = doc(
        [
            mention("g1", "DRUG", 0, 5, name="ponatinib"),
            mention("g2", "DOSE", 10, 15, value=45.0, unit="mg"),
        ],
        [{"type": "DOSE_OF", "head": "g2", "tail": "g1"}],
    )
    pred = doc(
        [
            mention("m1", "DRUG", 0, 5, name="ponatinib"),
            mention("m2", "DOSE", 10, 15, value=45.0, unit="g"),
        ],
        [
            {"type": "DOSE_OF", "head": "m2", "tail": "m1"},
            {"type": "VALUE_OF", "head": "m2", "tail": "m1"},
        ],
    )
    scores = score([(gold, pred)])
    assert scores["fields"]["DOSE.unit"]["accuracy"] == 0
    assert scores["fields"]["DOSE.value"]["accuracy"] == 1
    assert scores["relations"]["precision"] == 0.5
    assert scores["relations"]["recall"] == 1.0
