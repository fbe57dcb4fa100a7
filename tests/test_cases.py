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
        ("LAB_VALUE", "8.1 g/dL", "case-1"),
        ("DRUG", "rituximab", "case-1"),  # `two cycles` is not several patients
        ("DOSE", "375 mg/m2", "case-1"),
        ("RESPONSE", "complete remission", "case-1"),
    ]


def test_a_text_that_describes_no_patient_has_no_case(extract):
    general = "Rituximab is an anti-CD20 antibody. It is given at 375 mg/m2 weekly.\n"
    assert {case_id for *_, case_id in extract(general)} == {None}
