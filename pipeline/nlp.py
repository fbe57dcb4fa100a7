"""build_nlp(): the casex pipeline assembled from `config.cfg` on spaCy's blank English."""

from __future__ import annotations

import gc
import logging
from functools import lru_cache
from importlib import import_module

from spacy.language import Language
from spacy.util import load_config, load_model_from_config

from casex.paths import PACKAGE_DIR

CONFIG = PACKAGE_DIR / "config.cfg"
# The modules whose import registers casex's factories and tokenizer. spaCy also finds
# them through the entry points in pyproject.toml (so that `spacy.load` of a saved casex
# pipeline works in a new process); importing them here keeps a source checkout working.
FACTORY_MODULES = (
    "casex.segment.tokenizer",
    "casex.segment.sentences",
    "casex.segment.sections",
    "casex.segment.cases",
    "casex.components.abbreviations",
    "casex.components.drugs",
    "casex.components.therapies",
    "casex.components.genetics",
    "casex.components.responses",
    "casex.components.phenotypes",
    "casex.components.doses_labs",
    "casex.components.adverse_events",
    "casex.components.mentions",
    "casex.components.context",
    "casex.components.relations",
    "casex.components.extraction",
)


def register_factories() -> None:
    """Import every module that registers a casex factory (idempotent)."""
    for module in FACTORY_MODULES:
        import_module(module)


def build_nlp() -> Language:
    """The full pipeline, rules read from the package's patterns. The garbage collector is
    off meanwhile: the lexicons are millions of objects, none of them garbage."""
    logging.getLogger("scispacy").setLevel(logging.WARNING)
    register_factories()
    gc.disable()
    try:
        return load_model_from_config(load_config(CONFIG), auto_fill=True, validate=True)
    finally:
        gc.enable()


@lru_cache(maxsize=1)
def shared_nlp() -> Language:
    """One pipeline per process, built on first use, and then left out of the garbage
    collector's collections (`gc.freeze`): they would walk its lexicons and, in forked
    workers, write to every page of them (Python's advice before a fork)."""
    nlp = build_nlp()
    gc.freeze()
    return nlp
