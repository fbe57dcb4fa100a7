"""Which patient each mention is about (spec section 5)."""

import pytest

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


def test_a_narrative_before_back_matter_headings_is_content(nlp):
    """Prose with many commas is no author list: the narrative before `CRediT` counts."""
    text = (
        "Lithium toxicity after lisinopril in an older man\n\n"
        "A 68-year-old man, stable for years on lithium, was admitted with confusion, tremor, "
        "ataxia, vomiting and diarrhoea, six weeks after lisinopril 10 mg daily was started, and "
        "his serum lithium was 3.4 mmol/L, with creatinine 2.1 mg/dL, so haemodialysis began.\n\n"
        "CRediT authorship contribution statement\n\nA. B.: Writing.\n"
    )
    record = nlp(text)._.casex_extraction
    found = [(m["label"], text[m["start"] : m["end"]], m["case_id"]) for m in record["mentions"]]
    assert ("DOSE", "10 mg", "case-1") in found


@pytest.mark.parametrize(
    "heading",
    ["2.1 Case 1 A 24-year-old", "2.1 Case 1. A 24-year-old", "Case 1: a 24-year-old"],
)
def test_run_in_case_headings(nlp, heading):
    text = (
        "Two patients\n\n2. Case presentation\n\n"
        f"{heading} woman received rituximab.\n\n"
        "2.2 Case 2 A 71-year-old man received nivolumab.\n"
    )
    record = nlp(text)._.casex_extraction
    found = {text[m["start"] : m["end"]]: m["case_id"] for m in record["mentions"]}
    assert found == {"rituximab": "case-1", "nivolumab": "case-2"}


def test_structured_abstract_label_inside_a_joined_paragraph(nlp):
    """A PDF joins a structured abstract's parts: `... remission. Case presentation: A ...`."""
    text = (
        "Imatinib in a child\n\nAbstract\n\nBackground: Imatinib improved outcomes in "
        "children. Case presentation: A seven-year-old girl received imatinib daily.\n"
    )
    record = nlp(text)._.casex_extraction
    drugs = [m["case_id"] for m in record["mentions"] if m["label"] == "DRUG"]
    assert drugs == [None, None, "case-1"]  # title, background, case presentation


def test_front_matter_ends_at_the_first_line_of_prose(nlp):
    text = (
        "Cisplatin in a smoker\n\nJ. Smith, A. Jones and B. Brown\n\n"
        "Department of Oncology, University Hospital of Paris, Paris, France.\n\n"
        "Received 3 March 2024; accepted 5 May 2024; available online 6 May 2024.\n\n"
        "A 58-year-old man, a smoker, was given cisplatin, etoposide and radiotherapy.\n\n"
        "Declaration of competing interest\n\nNone.\n"
    )
    sections = nlp(text)._.casex_extraction["sections"]
    body = next(s for s in sections if s["category"] == "body")
    assert text[body["start"] :].startswith("A 58-year-old man")


def test_a_text_that_opens_with_prose_has_no_title(nlp):
    """The first paragraph is the narrative, also where a later one has few commas."""
    text = (
        "A 9-year-old girl with B-ALL, on induction with vincristine, daunorubicin, "
        "pegaspargase and prednisolone, developed abdominal pain on day 12.\n\n"
        "Her lipase was 1,840 U/L and she was treated for pancreatitis with fluids only.\n\n"
        "Declaration of competing interest\n\nNone.\n"
    )
    sections = nlp(text)._.casex_extraction["sections"]
    assert [(s["category"], s["start"]) for s in sections][:1] == [("body", 0)]


def test_a_clinical_summary_heading_opens_the_case(nlp):
    text = (
        "Pancreatitis in a boy\n\nIntroduction\n\nAsparaginase causes pancreatitis.\n\n"
        "Clinical summary\n\nA 6-year-old boy received pegaspargase 2,500 IU/m2.\n"
    )
    record = nlp(text)._.casex_extraction
    cases = {text[m["start"] : m["end"]]: m["case_id"] for m in record["mentions"]}
    assert cases["pegaspargase"] == "case-1"


def test_a_patient_named_by_age_alone_and_a_title_line(nlp):
    """`A 52-year-old farmer`: the narrative is the case, the sex from the pronouns; the
    title line of a text without headings is no part of it."""
    text = (
        "Cladribine in hairy-cell leukaemia\n"
        "A 52-year-old farmer presented with splenomegaly. Coagulation studies were normal "
        "and haemoglobin was 9.1 g/dL. He received cladribine 0.14 mg/kg/day. His spleen "
        "shrank.\n"
    )
    record = nlp(text)._.casex_extraction
    cases = [(text[m["start"] : m["end"]], m["case_id"]) for m in record["mentions"]]
    assert ("Cladribine", None) in cases
    assert ("9.1 g/dL", "case-1") in cases and ("cladribine", "case-1") in cases
    assert record["cases"][0]["age"] == 52 and record["cases"][0]["sex"] == "male"
    assert record["sections"][0]["category"] == "title"


def test_a_general_statement_in_the_present_in_a_narrative_told_in_the_past(extract):
    text = (
        "A 78-year-old man on warfarin was started on amiodarone. His INR rose to 9.8 and he "
        "received vitamin K 10 mg. Amiodarone inhibits CYP2C9 and reduces warfarin clearance. "
        "Warfarin has been stopped."
    )
    cases = [(t, case) for label, t, *_, case in extract(text) if label == "DRUG"]
    assert cases == [
        ("warfarin", "case-1"),
        ("amiodarone", "case-1"),
        ("vitamin K", "case-1"),
        ("Amiodarone", None),
        ("warfarin", None),
        ("Warfarin", "case-1"),
    ]


def test_a_one_patient_reports_conclusion_in_the_past_and_this_boy(extract):
    text = (
        "Case presentation\nA 12-year-old boy received vincristine 1.5 mg/m2 IV weekly.\n\n"
        "Discussion\nThis boy had blasts that were CD10 bright. Vincristine is neurotoxic.\n\n"
        "Conclusion\nDasatinib achieved a durable complete remission. "
        "Daily liver tests are advisable during asparaginase therapy.\n"
    )
    cases = [(t, case) for label, t, *_, case in extract(text) if label != "ADVERSE_EVENT"]
    assert ("CD10 bright", "case-1") in cases  # `this boy` is the patient
    assert ("Vincristine", None) in cases  # the present tense: no single patient
    assert ("Dasatinib", "case-1") in cases and ("complete remission", "case-1") in cases
    assert ("asparaginase", None) in cases


def test_numbered_cases_in_a_text_without_headings(extract):
    text = (
        "Case 1, a 58-year-old man, had calcium 2.9 mmol/L.\n\n"
        "Case 2, a 66-year-old woman, was admitted with confusion. Calcium was 3.05 mmol/L.\n"
    )
    cases = [(t, case) for label, t, *_, case in extract(text) if label == "LAB_VALUE"]
    assert cases == [("2.9 mmol/L", "case-1"), ("3.05 mmol/L", "case-2")]


def test_a_sentence_about_two_numbered_cases_and_a_case_opening_a_paragraph(extract):
    text = (
        "Case 1, a 58-year-old man, had calcium 2.9 mmol/L.\n\n"
        "Case 2, a 66-year-old woman, had calcium 3.05 mmol/L.\n\n"
        "Case 1's M-protein fell to 0.3 g/dL and Case 2's creatinine to 118 µmol/L.\n\n"
        "Case 1 then underwent transplantation. His neutrophils fell to 0.7 × 10⁹/L.\n"
    )
    cases = [(t, case) for label, t, *_, case in extract(text) if label == "LAB_VALUE"]
    assert cases[2:] == [
        ("0.3 g/dL", "case-1"),
        ("118 µmol/L", "case-2"),
        ("0.7 × 10⁹/L", "case-1"),
    ]


def test_a_baby_without_an_age_in_years_is_the_case(nlp):
    text = (
        "A male infant born at 37 weeks was jaundiced at 18 hours of age. Bilirubin was "
        "248 µmol/L.\n"
    )
    record = nlp(text)._.casex_extraction
    assert [m["case_id"] for m in record["mentions"] if m["label"] == "LAB_VALUE"] == ["case-1"]
    assert record["cases"][0]["age"] == 0 and record["cases"][0]["sex"] == "male"


def test_a_clause_after_a_semicolon_stands_on_its_own(extract):
    text = (
        "Case presentation\nA 50-year-old man received norepinephrine 0.3 µg/kg/min.\n\n"
        "Discussion\nGuidelines suggest adding vasopressin at 0.03 U/min; our patient received "
        "hydrocortisone 50 mg instead. Patients with t(4;14) myeloma did well, and so did "
        "our patient on daratumumab.\n"
    )
    cases = {t: case for label, t, *_, case in extract(text) if label == "DRUG"}
    assert cases["vasopressin"] is None and cases["hydrocortisone"] == "case-1"


def test_a_values_change_told_in_the_past_in_the_discussion_is_the_patients(extract):
    text = (
        "Case presentation\nA 50-year-old man had septic shock.\n\n"
        "Discussion\nThe fall in lactate from 6.8 mmol/L to 2.4 mmol/L paralleled source "
        "control. Lactate above 4 mmol/L predicts death in septic shock.\n"
    )
    cases = [(t, case) for label, t, *_, case in extract(text) if label == "LAB_VALUE"]
    assert cases[:2] == [("6.8 mmol/L", "case-1"), ("2.4 mmol/L", "case-1")]
