import pytest


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He was started on Gleevec.", [("Gleevec", "imatinib", "Gleevec")]),
        (
            "She received all-trans retinoic acid (ATRA); ATRA was stopped on day 30.",
            [
                ("all-trans retinoic acid", "tretinoin", None),
                ("ATRA", "tretinoin", None),
                ("ATRA", "tretinoin", None),
            ],
        ),
        (
            "Venetoclax (ABT-199) was added.",
            [("Venetoclax", "venetoclax", None), ("ABT-199", "venetoclax", None)],
        ),
        ("Salvage with zanubrutinib followed.", [("zanubrutinib", "zanubrutinib", None)]),
        (
            "She then received loncastuximab tesirine.",
            [("loncastuximab tesirine", "loncastuximab tesirine", None)],
        ),
        ("Treatment with xyzotinib was started.", [("xyzotinib", "xyzotinib", None)]),
        ("Tumour response to zorbitamab was assessed.", [("zorbitamab", "zorbitamab", None)]),
        (  # a combination written as its agents gives each agent
            "She was given piperacillin-tazobactam, then TMP-SMX.",
            [
                ("piperacillin", "piperacillin", None),
                ("tazobactam", "tazobactam", None),
                ("TMP", "trimethoprim", None),
                ("SMX", "sulfamethoxazole", None),
            ],
        ),
    ],
)
def test_drugs(extract, text, expected):
    found = [(t, n["name"], n["brand"]) for label, t, n, _, _ in extract(text) if label == "DRUG"]
    assert found == expected


@pytest.mark.parametrize(
    "text",
    [
        "She received a TKI and steroids.",
        "R-CHOP was given for six cycles.",
        "Antibiotics were started.",
    ],
)
def test_classes_and_regimens_are_not_drugs(extract, text):
    assert [m for m in extract(text) if m[0] == "DRUG"] == []


@pytest.mark.parametrize(
    ("text", "span", "category", "deauville", "basis"),
    [
        (
            "PET showed a complete metabolic response (Deauville 2).",
            "complete metabolic response (Deauville 2)",
            "CMR",
            2,
            "metabolic",
        ),
        (
            "The marrow showed morphologic complete remission.",
            "morphologic complete remission",
            "CR",
            None,
            "morphologic",
        ),
        ("Restaging CT showed a partial response.", "partial response", "PR", None, None),
        (
            "She achieved a very good partial response.",
            "very good partial response",
            "VGPR",
            None,
            None,
        ),
        ("CT confirmed stable disease.", "stable disease", "SD", None, None),
        ("CT showed progressive disease.", "progressive disease", "PD", None, None),
        (
            "He reached CR with incomplete hematologic recovery.",
            "CR with incomplete hematologic recovery",
            "CRi",
            None,
            None,
        ),
        ("Flow cytometry showed MRD negativity.", "MRD negativity", "MRD_NEGATIVE", None, None),
        ("She reached uMRD in blood.", "uMRD", "MRD_NEGATIVE", None, None),
        (  # the method after an MRD status gives its basis
            "He was MRD-negative by flow cytometry (<0.01%).",
            "MRD-negative",
            "MRD_NEGATIVE",
            None,
            "flow",
        ),
        (
            "She was MRD-negative by next-generation sequencing at 10^-5.",
            "MRD-negative",
            "MRD_NEGATIVE",
            None,
            "molecular",
        ),
        (
            "The patient was MRD-positive after induction.",
            "MRD-positive",
            "MRD_POSITIVE",
            None,
            None,
        ),
        (
            "She achieved a major molecular response.",
            "major molecular response",
            "MOLECULAR_RESPONSE",
            None,
            "molecular",
        ),
        (
            "He had a complete cytogenetic response.",
            "complete cytogenetic response",
            "CYTOGENETIC_RESPONSE",
            None,
            "cytogenetic",
        ),
        ("The disease did not respond to azacitidine.", "did not respond", "NR", None, None),
        ("Chemotherapy gave no response.", "no response", "NR", None, None),
        ("There was a good response.", "good response", "OTHER", None, None),
    ],
)
def test_responses(extract, text, span, category, deauville, basis):
    found = [(t, n, neg) for label, t, n, neg, _ in extract(text) if label == "RESPONSE"]
    assert len(found) == 1, found
    found_span, normalized, negated = found[0]
    assert (found_span, normalized["category"], normalized["deauville"], normalized["basis"]) == (
        span,
        category,
        deauville,
        basis,
    )
    assert negated is False


@pytest.mark.parametrize(
    ("text", "label", "negated"),
    [
        ("No rituximab was given.", "DRUG", True),
        ("The bone marrow was negative for CD34.", "IMMUNOPHENOTYPE", False),
        ("No GVHD occurred and no VOD was observed after busulfan.", "DRUG", False),
        ("None of the therapies led to MRD negativity.", "RESPONSE", True),
        ("She was treated without dexamethasone.", "DRUG", True),
        ("No complete remission was observed after induction.", "RESPONSE", True),
        ("She did not respond to decitabine.", "DRUG", False),
        ("He had not achieved a major molecular response on dasatinib.", "RESPONSE", True),
        ("He had not achieved a major molecular response on dasatinib.", "DRUG", False),
        ("Therapy continued without interruption of tretinoin.", "DRUG", False),
        ("PTCL, not otherwise specified, with platelets of 98 × 10⁹/L.", "LAB_VALUE", False),
        ("The marrow is negative for CD34.", "IMMUNOPHENOTYPE", False),
        ("Trials have not evaluated blinatumomab in this setting.", "DRUG", False),
        ("She did not receive rituximab.", "DRUG", True),
        # a negation inside a clause that opens the sentence ends at its comma
        ("Because the result had not been reported, oxaliplatin was started.", "DRUG", False),
        # a terminator ends the scope of every modifier, whatever the types it takes
        (
            "The trial did not show a benefit of rituximab, although depletion was associated "
            "with complete response.",
            "RESPONSE",
            False,
        ),
        ("Warfarin was not restarted.", "DRUG", True),
        ("Chlorambucil was not used.", "DRUG", True),
        ("Bevacizumab was deliberately not given.", "DRUG", True),
        # `absence of` and `resolved` negate findings, not the drugs after them
        ("The absence of response to trifluridine was noted.", "DRUG", False),
        ("Febrile neutropenia resolved with cefepime 2 g IV.", "DRUG", False),
        ("She had not taken quinine or clopidogrel.", "DRUG", True),
        ("MRD negativity was not reached after induction.", "RESPONSE", True),
        # a colon, `so` and a coordinated clause end a negation's scope
        ("The marrow showed no residual cells: a complete response (CR).", "RESPONSE", False),
        ("CK rose without myalgia, so alectinib was reduced.", "DRUG", False),
        ("He was not fit for surgery and was treated with bendamustine.", "DRUG", False),
        # a negative status is the marker's expression, not a negation
        ("There was no lambda expression.", "IMMUNOPHENOTYPE", False),
        ("The thrombosis resolved and the platelet count was 254 × 10^9/L.", "LAB_VALUE", False),
        ("High-dose cytarabine was not included in his treatment.", "DRUG", True),
        ("Neither patient required splenectomy or bortezomib.", "DRUG", True),
        # a drug kept unchanged, a title, and a drug unlikely to work are no negations
        ("She was discharged without changes to warfarin or digoxin.", "DRUG", False),
        ("With and without caplacizumab: two patients with TTP.", "DRUG", False),
        ("This makes pembrolizumab unlikely to be effective.", "DRUG", False),
        # a look-back negation ends at the full clause before it, not at a list
        ("Allopurinol was given with hydration, and rasburicase was not required.", "DRUG", None),
        ("Warfarin, aspirin, and clopidogrel were not given.", "DRUG", True),
        ("CD38 did not prevent a deep response in our patient.", "RESPONSE", False),
        # a conclusion, and a colon written against its bracket, end a negation's scope
        (
            "There was no clonal population, meeting criteria for a stringent complete response.",
            "RESPONSE",
            False,
        ),
        (
            "Counts had not recovered (ANC 0.3): a morphologic leukaemia-free state.",
            "RESPONSE",
            False,
        ),
    ],
)
def test_negation(extract, text, label, negated):
    found = [neg for lab, _, _, neg, _ in extract(text) if lab == label]
    if negated is None:  # the first not negated, the last negated
        assert found == [False, True]
        return
    assert found and all(flag is negated for flag in found), found


@pytest.mark.parametrize(
    "text",
    [
        "Retained expression of all four MMR proteins was shown.",
        "The tumour was deficient MMR on immunohistochemistry.",
        "ER and PR positive, HER2 negative.",
        "PR status was 5%.",
    ],
)
def test_an_acronym_that_names_a_protein_is_no_response(extract, text):
    assert [t for label, t, *_ in extract(text) if label == "RESPONSE"] == []


def test_mrd_stated_as_a_predicate(extract):
    text = "MRD assessed by NGS remained detectable at 10^-4 and later turned negative (<10^-5)."
    found = [
        (label, t, n.get("category"), n.get("value"), n.get("comparator"))
        for label, t, n, *_ in extract(text)
    ]
    assert found == [
        ("RESPONSE", "detectable", "MRD_POSITIVE", None, None),
        ("LAB_VALUE", "10^-4", None, 0.0001, None),
        ("RESPONSE", "negative", "MRD_NEGATIVE", None, None),
        ("LAB_VALUE", "10^-5", None, 1e-05, "<"),
    ]


def test_mrd_setting_and_assay_sensitivity_are_not_assessments_or_values(extract):
    setting = "Blinatumomab is active in Minimal Residual Disease (MRD) positive ALL patients."
    assert [label for label, *_ in extract(setting)] == ["DRUG"]
    sensitivity = "MRD was negative at a sensitivity of 10^-5."
    assert [(label, t) for label, t, *_ in extract(sensitivity)] == [("RESPONSE", "negative")]


def test_a_trial_endpoint_is_no_response(extract):
    text = "It doubled progression-free survival; she later had progression on T-DM1."
    found = [t for label, t, *_ in extract(text) if label == "RESPONSE"]
    assert found == ["progression"] and text.count("progression") == 2


def test_an_abbreviation_the_text_defines_otherwise_is_no_response(extract):
    text = "A 70-year-old man with Parkinson's disease (PD) took levodopa. PD worsened."
    assert [(label, t) for label, t, *_ in extract(text)] == [("DRUG", "levodopa")]
    text = "PET showed progressive disease (PD). PD was confirmed."
    assert [t for label, t, *_ in extract(text) if label == "RESPONSE"] == [
        "progressive disease",
        "PD",
        "PD",
    ]


def test_drugs_in_a_susceptibility_result_or_an_organism_are_not_agents(extract):
    text = (
        "Cultures grew methicillin-resistant Staphylococcus aureus, resistant to oxacillin and "
        "susceptible to vancomycin and trimethoprim-sulfamethoxazole (TMP-SMX). Vancomycin was "
        "started. CML resistant to imatinib was treated with dasatinib."
    )
    drugs = [t for label, t, *_ in extract(text) if label == "DRUG"]
    assert drugs == ["Vancomycin", "imatinib", "dasatinib"]


@pytest.mark.parametrize(
    ("text", "span", "category"),
    [
        (
            "Her arthritis had been in clinical remission for two years.",
            "in clinical remission",
            "CR",
        ),
        ("Rapid MRD clearance followed induction.", "MRD clearance", "MRD_NEGATIVE"),
        (
            "He reached complete remission with incomplete haematologic recovery.",
            "complete remission with incomplete haematologic recovery",
            "CRi",
        ),
        (
            "The marrow showed a morphologic leukaemia-free state.",
            "morphologic leukaemia-free state",
            "OTHER",
        ),
        ("MRD positivity persisted after induction.", "MRD positivity", "MRD_POSITIVE"),
        ("She achieved a complete renal response.", "complete renal response", "CR"),
        ("He achieved a virological response at week 8.", "virological response", "OTHER"),
        (
            "The marrow showed complete remission with incomplete marrow recovery.",
            "complete remission with incomplete marrow recovery",
            "CRi",
        ),
        ("It was classified as a near-complete response.", "near-complete response", "OTHER"),
        ("She was in steroid-free clinical remission.", "clinical remission", "CR"),
        ("Colonoscopy showed endoscopic remission.", "endoscopic remission", "CR"),
        ("It was a partial ADAMTS13 remission.", "partial ADAMTS13 remission", "PR"),
        ("Because of this inadequate response, he was switched.", "inadequate response", "OTHER"),
        ("Midazolam had been given without effect.", "without effect", "NR"),
    ],
)
def test_more_response_phrasings(extract, text, span, category):
    found = [(t, n["category"]) for label, t, n, *_ in extract(text) if label == "RESPONSE"]
    assert found == [(span, category)]


def test_glucose_given_brands_in_brackets_and_the_bodys_own_substances(extract):
    text = (
        "He received 25 g of glucose; fasting glucose was 9.4 mmol/L. Sodium zirconium "
        "cyclosilicate (Lokelma) 10 g was given. Insulin deficiency lowers vitamin K-dependent "
        "factors. A random cortisol was 21.3 µg/dL."
    )
    drugs = [(t, n["name"], n["brand"]) for label, t, n, *_ in extract(text) if label == "DRUG"]
    assert drugs == [
        ("glucose", "glucose", None),
        ("Sodium zirconium cyclosilicate", "sodium zirconium cyclosilicate", None),
        ("Lokelma", "sodium zirconium cyclosilicate", "Lokelma"),
    ]
