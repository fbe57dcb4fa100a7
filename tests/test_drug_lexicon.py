"""Drugs of every specialty from the lexicon, with identifiers; names that are not agents."""

import os
import pickle

import pytest

from casex import cache

ANY_SALT = object()


def _drugs(extract, text):
    return [
        (t, n["name"], n["drugbank_id"]) for label, t, n, *_ in extract(text) if label == "DRUG"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "She had taken lithium, carbamazepine and clozapine for years.",
            [
                ("lithium", "lithium", ANY_SALT),  # the lexicon knows lithium by its salts
                ("carbamazepine", "carbamazepine", "DB00564"),
                ("clozapine", "clozapine", "DB00363"),
            ],
        ),
        (
            "Cabergoline and sotalol were stopped; Copaxone was continued.",
            [
                ("Cabergoline", "cabergoline", "DB00248"),
                ("sotalol", "sotalol", "DB00489"),
                ("Copaxone", "glatiramer", "DB05259"),
            ],
        ),
        (
            "He developed MTX-induced pneumonitis and 5-FU-based chemotherapy was held.",
            [("MTX", "methotrexate", "DB00563"), ("5-FU", "fluorouracil", "DB00544")],
        ),
        (
            "D-penicillamine was replaced by L-dopa and insulin glargine.",
            [
                ("D-penicillamine", "penicillamine", "DB00859"),
                ("L-dopa", "levodopa", "DB01235"),
                ("insulin glargine", "insulin glargine", "DB00047"),
            ],
        ),
        (
            "Imatinib mesylate was followed by apatinib.",
            [("Imatinib mesylate", "imatinib", "DB00619"), ("apatinib", "rivoceranib", "DB14765")],
        ),
        (  # a liposomal drug is its own product (spec section 3)
            "Liposomal amphotericin B was given.",
            [("Liposomal amphotericin B", "liposomal amphotericin b", "DB00681")],
        ),
        (  # a one-word NHS medicine without a DrugBank or MedlinePlus id
            "He received a short course of insulin.",
            [("insulin", "insulin", None)],
        ),
        (
            "Granulocyte colony-stimulating factor was given.",
            [("Granulocyte colony-stimulating factor", "filgrastim", "DB00099")],
        ),
        (  # the INN where the lexicon's name is a US one (spec section 3), with the ids
            "Methimazole, cyclosporine, aspirin and mesalamine were stopped.",
            [
                ("Methimazole", "thiamazole", "DB00763"),
                ("cyclosporine", "ciclosporin", "DB00091"),
                ("aspirin", "acetylsalicylic acid", "DB00945"),
                ("mesalamine", "mesalazine", "DB00244"),
            ],
        ),
        (  # haematology's usual US name too: hydroxyurea is hydroxycarbamide
            "Hydroxyurea was started.",
            [("Hydroxyurea", "hydroxycarbamide", "DB01005")],
        ),
        (  # an NHS medicine's own name, and a mineral salt that keeps its salt word
            "Thiamine 200 mg IV and oral sodium phosphate 500 mg were given.",
            [("Thiamine", "thiamine", "DB00152"), ("sodium phosphate", "sodium phosphate", None)],
        ),
        (  # a lexicon name's bracketed qualifier is no part of the name
            "Ovine digoxin immune fab was given.",
            [("Ovine digoxin immune fab", "digoxin immune fab", "DB00076")],
        ),
    ],
)
def test_drugs_of_every_specialty_with_identifiers(extract, text, expected):
    found = _drugs(extract, text)
    assert [f[:2] for f in found] == [e[:2] for e in expected]
    for (_, _, drugbank_id), (_, _, wanted) in zip(found, expected):
        assert drugbank_id.startswith("DB") if wanted is ANY_SALT else drugbank_id == wanted


def test_an_unknown_word_in_brackets_after_a_drug_is_its_brand(extract):
    text = "She took furosemide (Seguril) 40 mg daily and rituximab (Roche) 375 mg/m2."
    found = [(t, n["name"], n["brand"]) for label, t, n, *_ in extract(text) if label == "DRUG"]
    assert found == [
        ("furosemide", "furosemide", None),
        ("Seguril", "furosemide", "Seguril"),
        ("rituximab", "rituximab", None),  # a maker is no brand
    ]


def test_each_inn_is_a_name_of_the_drug_it_replaces(extract):
    """casex's INN table only renames: the lexicon lists the INN as the same drug."""
    from casex.nlp import shared_nlp

    lexicon = shared_nlp().get_pipe("casex_drugs").lexicon
    for us_name, inn in lexicon.inn.items():
        assert lexicon.lookup(inn) is not None and lexicon.normalize(inn)["name"] == inn, inn
        if lexicon.lookup(us_name) is not None:  # `charcoal` alone is a common word
            assert lexicon.normalize(us_name) == lexicon.normalize(inn), (us_name, inn)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the descriptor of the drug, not the lexicon's pharmacological action (Rodenticides)
        ("Warfarin was stopped.", "D014859"),
        # MeSH files imatinib under its salt's heading; the brand and the moiety share it
        ("Imatinib mesylate, then Gleevec.", "D000068877"),
        ("She had taken lithium.", "D008094"),
        ("G-CSF was given.", "D000069585"),  # filgrastim
        ("Venetoclax was added.", None),  # a supplementary concept, not a descriptor
    ],
)
def test_mesh_descriptor_ids(extract, text, expected):
    found = [n["mesh_id"] for label, _, n, *_ in extract(text) if label == "DRUG"]
    assert found and set(found) == {expected}


@pytest.mark.parametrize(
    "text",
    [
        "The serum lithium level was 1.8 mmol/L.",
        "The isolate was sensitive to penicillin, ceftriaxone and vancomycin.",
        "A 99mTc-sestamibi scan was normal.",
        # an organism (DrugBank lists allergenic extracts by its name); a resistance result
        "Blood cultures grew Escherichia coli and Candida albicans.",
        "Protein C activity was 14%; the serotonin-release assay was positive.",
        "The tacrolimus trough rose to 12.6 ng/mL; India ink showed encapsulated yeasts.",
        "The isolate was sensitive to meropenem and resistant to ceftriaxone and ciprofloxacin.",
        "Iron studies showed low ferritin; gold standard imaging was done.",
        "Albumin 3.2 g/dL, potassium 3.1 mmol/L.",
        "He was given antibiotics and steroids.",
    ],
)
def test_names_that_are_not_agents_given(extract, text):
    assert _drugs(extract, text) == []


def test_a_marker_named_like_a_lexicon_entry_stays_a_marker(extract):
    found = [(label, t) for label, t, *_ in extract("Tumour cells were negative for cyclin D1.")]
    assert found == [("IMMUNOPHENOTYPE", "cyclin D1")]


def test_cache_is_reused_and_an_untrusted_file_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEX_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CASEX_NO_CACHE", raising=False)
    calls = []

    def build():
        calls.append(1)
        return {"value": len(calls)}

    assert cache.cached("thing", "k1", build) == {"value": 1}
    assert cache.cached("thing", "k1", build) == {"value": 1} and len(calls) == 1
    (path,) = (tmp_path / "cache").glob("thing-*.pickle")
    assert oct(os.stat(tmp_path / "cache").st_mode & 0o777) == "0o700"
    path.write_bytes(pickle.dumps({"value": "planted"}))
    os.chmod(path, 0o666)  # anyone may write it: never loaded
    assert cache.cached("thing", "k1", build) == {"value": 2}
    assert cache.cached("thing", "k2", build) == {"value": 3}  # another key: built again
    assert len(list((tmp_path / "cache").glob("thing-*.pickle"))) == 1
