"""medspaCy's ConText and section matcher, imported without QuickUMLS, ConText linear.

`import medspacy` runs `medspacy/util.py`, whose only use of QuickUMLS is
`from quickumls import spacy_component` for its `load()` helper. That import pulls NLTK,
SciPy, scikit-learn, pandas and pyarrow (about 3 s and 160 MB) though casex uses none of
them. While medspaCy is first imported, a placeholder stands in for `quickumls`; it is
removed afterwards, so that a real `import quickumls` elsewhere still gets the library.
"""

from __future__ import annotations

import sys
import types

_STUBBED = ("quickumls", "quickumls.spacy_component")


def _import_medspacy() -> None:
    if "medspacy" in sys.modules:
        return
    placed = [name for name in _STUBBED if name not in sys.modules]
    for name in placed:
        sys.modules[name] = types.ModuleType(name)
    sys.modules["quickumls"].spacy_component = sys.modules["quickumls.spacy_component"]
    try:
        import medspacy  # noqa: F401
    finally:
        for name in placed:
            del sys.modules[name]
    _silence_loggers()


def _silence_loggers() -> None:
    """medspaCy's sentence splitter (PyRuSH, imported with medspaCy though casex splits
    sentences itself) logs through loguru at DEBUG level; keep the terminal readable."""
    import logging

    from loguru import logger

    logger.disable("medspacy")
    logger.disable("PyRuSH")
    for name in ("medspacy", "PyRuSH"):
        logging.getLogger(name).setLevel(logging.WARNING)


_import_medspacy()

import medspacy.context.context  # noqa: E402
from medspacy.common.medspacy_matcher import MedspacyMatcher  # noqa: E402
from medspacy.common.util import prune_overlapping_matches  # noqa: E402
from medspacy.context import ConText, ConTextRule  # noqa: E402
from medspacy.section_detection import SectionRule  # noqa: E402
from medspacy.section_detection.util import is_end_line, is_start_line  # noqa: E402

from casex.components.context_graph import LinearContextGraph  # noqa: E402

# ConText builds its graph by this module-level name: the same algorithm, linear in practice.
medspacy.context.context.ConTextGraph = LinearContextGraph

__all__ = [
    "ConText",
    "ConTextRule",
    "MedspacyMatcher",
    "SectionRule",
    "is_end_line",
    "prune_overlapping_matches",
    "is_start_line",
]
