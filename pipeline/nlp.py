"""build_nlp(): the casex pipeline on spacy.blank("en"), no downloaded model."""

from __future__ import annotations

import logging

import spacy
from spacy.language import Language

from casex.extensions import register
from casex.segment.tokenizer import clinical_tokenizer


def silence_libraries() -> None:
    """medspaCy's sentence splitter (PyRuSH, imported with medspaCy though casex splits
    sentences itself) logs through loguru at DEBUG level; keep the terminal readable."""
    from loguru import logger

    logger.disable("medspacy")
    logger.disable("PyRuSH")
    for name in ("medspacy", "PyRuSH", "scispacy"):
        logging.getLogger(name).setLevel(logging.WARNING)


def build_nlp() -> Language:
    """The full pipeline, patterns read from patterns/."""
    silence_libraries()
    register()
    # Imported for their factories: spaCy finds components by name once these modules ran.
    from casex.components import (  # noqa: F401
        abbreviations,
        context,
        doses_labs,
        drugs,
        extraction,
        mentions,
        phenotypes,
        relations,
        responses,
    )
    from casex.segment import cases, sections, sentences  # noqa: F401

    nlp = spacy.blank("en")
    nlp.tokenizer = clinical_tokenizer(nlp)
    nlp.add_pipe("casex_sentences")
    nlp.add_pipe("casex_sections")
    nlp.add_pipe("casex_cases")
    nlp.add_pipe("casex_abbreviations")
    nlp.add_pipe("casex_drugs")
    nlp.add_pipe("casex_responses")
    nlp.add_pipe("casex_phenotypes")
    nlp.add_pipe("casex_quantities")
    nlp.add_pipe("casex_mentions")
    nlp.add_pipe("casex_context")
    nlp.add_pipe("casex_relations")
    nlp.add_pipe("casex_extraction")
    return nlp
