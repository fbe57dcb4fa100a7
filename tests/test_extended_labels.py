"""The extended labels (spec section 10): GENETICS, THERAPY, ADVERSE_EVENT and CAUSED_BY."""

import pytest

from casex.components.adverse_events import _grade


def _of(extract, text: str, label: str) -> list[tuple]:
    return [(t, n, neg) for lab, t, n, neg, _ in extract(text) if lab == label]


@pytest.mark.parametrize(
    "text, span, kind, name, status",
    [
        (
            "Cytogenetics showed 46,XY,t(9;22)(q34;q11.2)[20].",
            "46,XY,t(9;22)(q34;q11.2)[20]",
            "karyotype",
            "46,xy,t(9;22)(q34;q11.2)",
            None,
        ),
        (
            "The blasts were BCR-ABL1 (p190)-positive.",
            "BCR-ABL1 (p190)-positive",
            "fusion",
            "bcr-abl1",
            "positive",
        ),
        (
            "She had Philadelphia (Ph) negative B-ALL.",
            "Philadelphia (Ph) negative",
            "translocation",
            "t(9;22)(q34;q11)",
            "negative",
        ),
        (
            "A t(9;22) was found by FISH.",
            "t(9;22)",
            "translocation",
            "t(9;22)(q34;q11)",
            "positive",
        ),
        ("He had NPM1-mutated AML.", "NPM1-mutated", "mutation", "npm1", "positive"),
        ("It was FLT3-ITD-positive.", "FLT3-ITD-positive", "mutation", "flt3-itd", "positive"),
        (
            "Sequencing found BRAF V600E in the tumour.",
            "BRAF V600E",
            "mutation",
            "braf v600e",
            "positive",
        ),
        (
            "An EGFR exon 19 deletion was present.",
            "EGFR exon 19 deletion",
            "mutation",
            "egfr exon 19 deletion",
            "positive",
        ),
        ("There was no TP53 mutation.", "TP53 mutation", "mutation", "tp53", "negative"),
        (
            "HER2 amplification was confirmed.",
            "HER2 amplification",
            "copy_number",
            "erbb2",
            "positive",
        ),
        (
            "FISH showed a MYC rearrangement.",
            "MYC rearrangement",
            "rearrangement",
            "myc",
            "positive",
        ),
        (
            "The T315I mutation emerged on imatinib.",
            "T315I mutation",
            "mutation",
            "abl1 t315i",
            "positive",
        ),
        (
            "FISH detected del(17p) in 40% of nuclei.",
            "del(17p)",
            "copy_number",
            "del(17p)",
            "positive",
        ),
    ],
)
def test_genetics_grammar(extract, text, span, kind, name, status):
    found = _of(extract, text, "GENETICS")
    assert (span, {"kind": kind, "name": name, "status": status}, False) in found


def test_genetics_list_shares_the_status_and_targets_are_not_findings(extract):
    found = _of(extract, "The tumour was RAS and BRAF wild-type.", "GENETICS")
    assert [(t, n["name"], n["status"]) for t, n, _ in found] == [
        ("RAS", "ras", "negative"),
        ("BRAF wild-type", "braf", "negative"),
    ]
    assert _of(extract, "A JAK2 inhibitor and PD-L1 expression were noted.", "GENETICS") == []


def test_normal_karyotype_is_named_by_the_patients_sex(extract):
    text = "A 34-year-old woman was admitted. Cytogenetics showed a normal karyotype."
    assert (
        "normal karyotype",
        {"kind": "karyotype", "name": "46,xx", "status": None},
        False,
    ) in _of(extract, text, "GENETICS")


@pytest.mark.parametrize(
    "text, span, kind, name, agents",
    [
        (
            "She received six cycles of R-CHOP.",
            "R-CHOP",
            "regimen",
            "r-chop",
            ["rituximab", "cyclophosphamide", "doxorubicin", "vincristine", "prednisone"],
        ),
        (
            "He was treated with standard chemotherapy.",
            "standard chemotherapy",
            "chemotherapy",
            "chemotherapy",
            None,
        ),
        ("She then underwent allo-HSCT.", "allo-HSCT", "transplant", "allogeneic hsct", None),
        (
            "Anti-CD20 antibodies were given.",
            "Anti-CD20 antibodies",
            "drug_class",
            "anti-cd20 antibody",
            None,
        ),
        ("BTK inhibitors are effective.", "BTK inhibitors", "drug_class", "btk inhibitor", None),
    ],
)
def test_therapies(extract, text, span, kind, name, agents):
    assert (span, {"kind": kind, "name": name, "agents": agents}, False) in _of(
        extract, text, "THERAPY"
    )


def test_toxicity_named_anywhere_and_its_grade(extract):
    found = _of(
        extract, "Grade 3 febrile neutropenia is common with this regimen.", "ADVERSE_EVENT"
    )
    assert found == [("febrile neutropenia", {"term": "febrile neutropenia", "grade": 3}, False)]
    negated = _of(extract, "No GVHD occurred after the transplant.", "ADVERSE_EVENT")
    assert negated == [("GVHD", {"term": "graft-versus-host disease", "grade": None}, True)]


def test_symptom_is_an_event_after_treatment_not_at_presentation(extract):
    text = (
        "Case presentation\n"
        "A 60-year-old man presented with fever and fatigue. "
        "He was given imatinib 400 mg daily. Two weeks later he developed nausea and a rash."
    )
    terms = [n["term"] for _, n, _ in _of(extract, text, "ADVERSE_EVENT")]
    assert "fever" not in terms and "fatigue" not in terms
    assert "nausea" in terms and "rash" in terms


def test_an_acronym_right_after_a_dose_is_its_schedule_not_an_event(extract):
    for text in (
        "He received paracetamol 650 mg SOS for pain after busulfan.",
        "She was given paracetamol 15 mg/kg SOS for fever after busulfan.",
    ):
        assert "SOS" not in [span for span, _, _ in _of(extract, text, "ADVERSE_EVENT")]
    after = "After busulfan and melphalan he developed SOS with jaundice."
    assert ("SOS", "sinusoidal obstruction syndrome") in [
        (span, n["term"]) for span, n, _ in _of(extract, after, "ADVERSE_EVENT")
    ]


def test_caused_by_ties_the_event_to_the_drug(nlp):
    text = "She developed ponatinib-induced hepatotoxicity and neuropathy attributed to bortezomib."
    extraction = nlp(text)._.casex_extraction
    mentions = extraction["mentions"]
    pairs = {
        (
            text[mentions[r["head"]]["start"] : mentions[r["head"]]["end"]],
            text[mentions[r["tail"]]["start"] : mentions[r["tail"]]["end"]],
        )
        for r in extraction["relations"]
        if r["type"] == "CAUSED_BY"
    }
    assert pairs == {("hepatotoxicity", "ponatinib"), ("neuropathy", "bortezomib")}


@pytest.mark.parametrize(
    "before, after, grade",
    [
        ("grade 3 ", "", 3),
        ("", " (grade IV)", 4),
        ("", " of grade 2", 2),
        ("", " was severe", None),
    ],
)
def test_grade(before, after, grade):
    assert _grade(before, after) == grade
