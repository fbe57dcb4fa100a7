"""casex: structured data from clinical case reports.

import casex

nlp = casex.load()                     # a spaCy Language (no trained model needed)
doc = nlp("She received ponatinib 45 mg daily and reached CR.")
for ent in doc.ents:                   # the mentions, EXTRACTION_SPEC labels
    print(ent.label_, ent.text, ent._.normalized, ent._.is_negated, ent._.case_id)

record = casex.extract_text(text, doc_id="report-1")  # a record, EXTRACTION_SPEC section 6
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__", "extract_text", "load"]


def load():
    """The casex pipeline as a spaCy `Language`, built anew from the package's config."""
    from casex.nlp import build_nlp

    return build_nlp()


def extract_text(text: str, doc_id: str = "text", nlp=None) -> dict:
    """The record of one report given as a string (EXTRACTION_SPEC section 6).

    `nlp` is a pipeline from `load()`; without it, one shared pipeline of this process is
    built on first use and kept.
    """
    from casex.io.readers import report_from_text
    from casex.nlp import shared_nlp
    from casex.record import to_record
    from casex.version import pipeline_version

    report = report_from_text(text, doc_id)
    doc = (nlp or shared_nlp())(report.text)
    return to_record(report, doc._.casex_extraction, pipeline_version())
