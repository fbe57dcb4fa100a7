import pytest

from casex.segment.tokenizer import nlp_text


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("2400/μL", ["2400", "/", "μL"]),
        ("45 mg/daily", ["45", "mg", "/", "daily"]),
        ("300mg/m2", ["300", "mg", "/", "m2"]),
        ("t(9;22)", ["t(9;22)"]),
        ("CD19+,", ["CD19", "+", ","]),
        ("CD3+/8+", ["CD3+", "/", "8", "+"]),
        ("10-3", ["10", "-", "3"]),
        ("×10^9/L", ["×", "10", "^", "9", "/", "L"]),
        ("0.54 × 106/μL", ["0.54", "×", "106", "/", "μL"]),
        ("1,3\u00a0mg", ["1,3", "mg"]),
        ("≥2", ["≥", "2"]),
        ("CD20-)", ["CD20", "-", ")"]),
        ("4.6 g/g.", ["4.6", "g", "/", "g", "."]),  # a unit letter, then the full stop
        ("CD19+CD10+", ["CD19", "+", "CD10", "+"]),  # glued markers
    ],
)
def test_clinical_tokens(nlp, text, tokens):
    assert [t.text for t in nlp.make_doc(text)] == tokens


def test_substitution_keeps_offsets():
    text = "Hb 7.3\u00a0g/dL and 1\u2009mg"
    assert len(nlp_text(text)) == len(text)


def test_tokenizer_is_registered_for_config_files(nlp):
    from spacy.util import registry

    make_tokenizer = registry.tokenizers.get("casex.clinical_tokenizer.v1")()
    assert [t.text for t in make_tokenizer(nlp)("WBC 2400/μL")] == ["WBC", "2400", "/", "μL"]


def test_hard_wrapped_lines_read_as_one_paragraph_and_short_lines_stay():
    import textwrap

    paragraph = (
        "After four cycles of therapy the patient reached a complete metabolic response, and "
        "the interim scan showed no residual uptake in the mediastinum or the spleen; she "
        "then received consolidative radiotherapy to the initial bulky site without toxicity."
    )
    wrapped = (
        textwrap.fill(paragraph, 60) + "\n\nCase presentation\n\n" + textwrap.fill(paragraph, 60)
    )
    read = nlp_text(wrapped)
    assert len(read) == len(wrapped) and "\n" in wrapped.split("Case")[0].strip()
    assert read.split("\n\n")[0] == paragraph
    assert "\n\nCase presentation\n\n" in read
    table = "Hb 9.1 g/dL\nWBC 3.2 x 10^9/L\nPlatelets 90,000/uL\nLDH 412 U/L\nCRP 12 mg/L\n"
    assert nlp_text(table) == table


def test_a_long_texts_words_are_cached_first_and_give_the_same_tokens(nlp):
    """The new words of a long text (from the second on) are tokenized first, together or,
    those that hold a special case's text (`Fig.`, `cells`), one by one; the text's tokens
    are those of a tokenizer that caches nothing first."""
    from pathlib import Path

    from spacy.tokenizer import Tokenizer

    from casex.segment.tokenizer import clinical_tokenizer

    text = Path(__file__).resolve().parents[1] / "corpus" / "raw" / "000_56345bc36a9b29ac.txt"
    text = text.read_text(encoding="utf-8")
    tokenizer = clinical_tokenizer(nlp)  # a cache of its own
    tokenizer(text[:12000])  # the first long text is tokenized as it is
    assert tokenizer.met == set()
    tokens = [(t.text, t.whitespace_, t.norm_) for t in tokenizer(text)]
    assert "patients" in tokenizer.met and "Fig." in tokenizer.met
    plain = clinical_tokenizer(nlp)
    uncached = Tokenizer.__call__(plain, nlp_text(text))
    assert tokens == [(t.text, t.whitespace_, t.norm_) for t in uncached]
    short = clinical_tokenizer(nlp)
    short(text[:5000])
    assert "met" not in short.__dict__
