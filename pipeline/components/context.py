"""Component: medspaCy's ConText with casex's rules, spelled out as literal phrases.

medspaCy matches rules that carry token patterns with spaCy's Matcher, whose `IN` sets are
checked in Python on every token. Rules whose patterns hold only exact values, `IN` lists
and optional (`"OP": "?"`) tokens are expanded here into one literal rule per phrase, which
medspaCy matches with a PhraseMatcher; the rules mean the same and run many times faster.
"""

import itertools
import json
import re
import warnings
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from casex.components.context_graph import LinearContextGraph
from casex.components.spans import pattern_path
from casex.medspacy_parts import ConText, ConTextRule

_RULE_KEYS = (
    "category",
    "direction",
    "allowed_types",
    "excluded_types",
    "max_scope",
    "max_targets",
)


@Language.factory("casex_context", default_config={"rules": "context.json"})
def create_context(nlp: Language, name: str, rules: str):
    # a modifier inside a mention (`not` of `did not respond`) modifies nothing
    context = ConText(nlp, name=name, rules=None, prune_on_target_overlap=True)
    # medspaCy makes each phrase's Doc with `nlp(phrase)`: the tokenizer alone, not the
    # components built before this one
    with nlp.select_pipes(disable=nlp.pipe_names):
        context.add(load_context_rules(pattern_path(rules)))
    openers = json.loads(pattern_path(rules).read_text(encoding="utf-8"))["clause_openers"]
    LinearContextGraph.clause_opener = re.compile(
        r"\s*(?:" + "|".join(re.escape(w) for w in openers) + r")\b", re.I
    )
    return QuietComponent(context)


class QuietComponent:
    """Runs a library component without its W036 warning ("matcher has no patterns"),
    which spaCy raises on every document when a rule set has only literal phrases."""

    def __init__(self, component) -> None:
        self.component = component

    def __call__(self, doc: Doc) -> Doc:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"\[W036\]")
            return self.component(doc)


def load_context_rules(path: Path) -> list[ConTextRule]:
    """ConTextRules from a medspaCy `{"context_rules": [...]}` file, patterns spelled out."""
    rules = []
    for entry in json.loads(path.read_text(encoding="utf-8"))["context_rules"]:
        settings = {key: entry[key] for key in _RULE_KEYS if entry.get(key) is not None}
        phrases = spelled_out(entry.get("pattern"))
        if entry.get("pattern") and phrases is None:
            rules.append(ConTextRule(entry["literal"], pattern=entry["pattern"], **settings))
            continue
        for phrase in phrases or [entry["literal"]]:
            rules.append(ConTextRule(phrase, **settings))
    return rules


def spelled_out(pattern: list[dict] | None) -> list[str] | None:
    """Every phrase a LOWER/ORTH pattern matches, or None when it cannot be listed."""
    if not pattern:
        return None
    choices = []
    for token in pattern:
        attrs = [key for key in token if key != "OP"]
        if len(attrs) != 1 or attrs[0] not in ("LOWER", "ORTH") or token.get("OP", "?") != "?":
            return None
        value = token[attrs[0]]
        if isinstance(value, dict) and set(value) != {"IN"}:
            return None
        words = value["IN"] if isinstance(value, dict) else [value]
        choices.append(words + [""] if token.get("OP") == "?" else words)
    return sorted({" ".join(w for w in words if w) for words in itertools.product(*choices)} - {""})
