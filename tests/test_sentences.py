import pytest

from casex.normalizers.sentence_bounds import NON_FINAL, sentence_around, sentence_start_chars


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("She improved. CT was clear.", ["She improved.", "CT was clear."]),
        ("Hb was 7.3 g/dL. WBC 2400/μL.", ["Hb was 7.3 g/dL.", "WBC 2400/μL."]),
        (
            "As shown (Fig. 1) and by Aldoss et al. 2017, CR was seen.",
            ["As shown (Fig. 1) and by Aldoss et al. 2017, CR was seen."],
        ),
        (
            "Case presentation\n\nA 66 years old woman.",
            ["Case presentation", "A 66 years old woman."],
        ),
        (
            "Dose was reduced vs. baseline. Then (at day 8) stopped.",
            ["Dose was reduced vs. baseline.", "Then (at day 8) stopped."],
        ),
    ],
)
def test_sentences(nlp, text, sentences):
    doc = nlp(text)
    assert [s.text.strip() for s in doc.sents] == sentences


def test_sentence_starts_are_offsets():
    assert sentence_start_chars("One. Two.\nThree", set(NON_FINAL)) == [5, 10]


def test_sentence_around_spans_the_mention():
    text = "First one.\nSecond  sentence here. Third."
    starts = [11, 34]
    assert sentence_around(text, starts, 18, 26) == "Second sentence here."
    assert sentence_around(text, starts, 0, 5) == "First one."
    assert sentence_around(text, starts, 30, 36) == "Second sentence here. Third."
