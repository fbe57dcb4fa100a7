"""Which patient each mention is about (spec section 5)."""

NARRATIVE = (
    "Rituximab is usually well tolerated and patients rarely develop colitis. "
    "A 54-year-old woman presented with fatigue. Hemoglobin was 8.1 g/dL. "
    "She received two cycles of rituximab 375 mg/m2 and achieved complete remission.\n"
)


def test_a_narrative_without_headings_is_the_patients_case_presentation(extract):
    found = [(label, text, case_id) for label, text, _, _, case_id in extract(NARRATIVE)]
    assert found == [
        ("DRUG", "Rituximab", None),  # about patients in general
        ("ADVERSE_EVENT", "colitis", None),  # fatigue at presentation is no event
        ("LAB_VALUE", "8.1 g/dL", "case-1"),
        ("DRUG", "rituximab", "case-1"),  # `two cycles` is not several patients
        ("DOSE", "375 mg/m2", "case-1"),
        ("RESPONSE", "complete remission", "case-1"),
    ]


def test_a_text_that_describes_no_patient_has_no_case(extract):
    general = "Rituximab is an anti-CD20 antibody. It is given at 375 mg/m2 weekly.\n"
    assert {case_id for *_, case_id in extract(general)} == {None}


def test_a_keywords_line_and_back_matter_leave_the_narrative_content(nlp):
    text = (
        "Rituximab-induced colitis in a patient with lymphoma: a case report\n\n"
        "Keywords: rituximab; colitis; case report\n\n"
        "A 54-year-old woman with follicular lymphoma received rituximab 375 mg/m2 weekly and "
        "developed bloody diarrhoea after the third dose, which resolved with budesonide.\n\n"
        "Declarations\n\nFunding\n\nNone.\n"
    )
    record = nlp(text)._.casex_extraction
    found = [(m["label"], text[m["start"] : m["end"]], m["case_id"]) for m in record["mentions"]]
    assert ("DOSE", "375 mg/m2", "case-1") in found
    assert ("DRUG", "budesonide", "case-1") in found
    assert [s["category"] for s in record["sections"]][:4] == ["title", "front", "keywords", "body"]
