import pytest


def relations(nlp, text):
    doc = nlp(text)
    mentions = doc._.casex_extraction["mentions"]
    return {
        (r["type"], text[mentions[r["head"]]["start"] : mentions[r["head"]]["end"]],
         text[mentions[r["tail"]]["start"] : mentions[r["tail"]]["end"]])
        for r in doc._.casex_extraction["relations"]
    }  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rituximab 375 mg/m2 was given on day 1.", {("DOSE_OF", "375 mg/m2", "Rituximab")}),
        (  # a response's bracketed abbreviation; a time `of` a list of drugs
            "On day 31 of ATRA and ATO the marrow showed a complete response (CR) to both.",
            {
                ("RESPONSE_TO", "complete response", "ATRA"),
                ("RESPONSE_TO", "complete response", "ATO"),
                ("RESPONSE_TO", "CR", "ATRA"),
                ("RESPONSE_TO", "CR", "ATO"),
            },
        ),
        (
            "She reached a very good partial response (VGPR) to daratumumab.",
            {
                ("RESPONSE_TO", "very good partial response", "daratumumab"),
                ("RESPONSE_TO", "VGPR", "daratumumab"),
            },
        ),
        (  # a combination's single dose goes to its first agent, a pair to each
            "Piperacillin-tazobactam 4.5 g IV, then TMP-SMX 160/800 mg orally.",
            {
                ("DOSE_OF", "4.5 g", "Piperacillin"),
                ("DOSE_OF", "160", "TMP"),
                ("DOSE_OF", "800 mg", "SMX"),
            },
        ),
        ("She received 1 g of cytarabine.", {("DOSE_OF", "1 g", "cytarabine")}),
        (
            "Imatinib was started. The dose was 400 mg daily.",
            {("DOSE_OF", "400 mg", "Imatinib")},
        ),
        (
            "He reached a complete remission with blinatumomab.",
            {("RESPONSE_TO", "complete remission", "blinatumomab")},
        ),
        (
            "She was treated with venetoclax, obtaining a partial response.",
            {("RESPONSE_TO", "partial response", "venetoclax")},
        ),
        (
            "The marrow showed MRD positivity (10-4) after ibrutinib.",
            {("VALUE_OF", "10-4", "MRD positivity")},
        ),
        (  # a dose per weight with no drug in its sentence: the drug of the last such dose
            "Trastuzumab deruxtecan 5.4 mg/kg was started with olanzapine 5 mg. A dose "
            "reduction to 4.4 mg/kg was considered.",
            {("DOSE_OF", "4.4 mg/kg", "Trastuzumab deruxtecan")},
        ),
    ],
)
def test_relations(nlp, text, expected):
    assert expected <= relations(nlp, text)


def test_radiation_dose_belongs_to_radiotherapy(nlp):
    text = "After cytarabine, involved-field radiotherapy of 30 Gy was given."
    doc = nlp(text)
    dose = [m for m in doc._.casex_extraction["mentions"] if m["label"] == "DOSE"][0]
    assert dose["normalized"]["drug"] == "radiotherapy"
    assert relations(nlp, text) == {("DOSE_OF", "30 Gy", "involved-field radiotherapy")}


def test_no_response_is_not_credited(nlp):
    assert not relations(nlp, "None of the therapies with rituximab led to MRD negativity.")


def test_negation_ends_with_the_clause_that_opens_the_sentence(nlp):
    negated = {
        ent.text: ent._.is_negated
        for text in (
            "Despite the absence of randomized data, she received bortezomib.",
            "Without evidence of relapse, lenalidomide was given.",
            "She did not receive cyclophosphamide or doxorubicin.",
        )
        for ent in nlp(text).ents
    }
    assert negated == {
        "bortezomib": False,
        "lenalidomide": False,
        "cyclophosphamide": True,
        "doxorubicin": True,
    }


def test_paired_doses_go_to_the_paired_agents_in_order(nlp):
    doc = nlp("Lopinavir/ritonavir 400/100 mg twice daily was given.")
    doses = [(e.text, e._.normalized["drug"]) for e in doc.ents if e.label_ == "DOSE"]
    assert doses == [("400", "lopinavir"), ("100 mg", "ritonavir")]
