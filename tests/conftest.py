"""One pipeline for the whole test run (built on spacy.blank, no downloaded model)."""

import pytest

from casex.nlp import build_nlp


@pytest.fixture(scope="session")
def nlp():
    return build_nlp()


@pytest.fixture(scope="session")
def extract(nlp):
    """Text -> list of (label, text, normalized, negated, case_id) mentions."""

    def run(text: str) -> list[tuple]:
        doc = nlp(text)
        return [
            (m["label"], text[m["start"] : m["end"]], m["normalized"], m["negated"], m["case_id"])
            for m in doc._.casex_extraction["mentions"]
        ]

    return run
