"""Component: THERAPY mentions: regimens, modalities, transplants, cell therapies, surgery,
drug classes and other treatments, from casex's table (patterns/vocab/therapies.json), with
the modifiers before them that belong to the phrase (`standard chemotherapy`,
`third-generation tyrosine-kinase inhibitor`).

A grammar adds drug classes no table lists: `anti-CD30 antibody-drug conjugate`,
`anti-PD-1 antibodies`, `BTK inhibitors`, `HER2-directed therapy`. A known regimen carries
its agents (`R-CHOP`: rituximab, cyclophosphamide, doxorubicin, vincristine, prednisone).
"""

import re

from spacy.language import Language
from spacy.tokens import Doc

from casex.cache import cached
from casex.components.spans import (
    TokenTrie,
    add_candidate,
    load_json,
    longest_matches,
    written_form,
)
from casex.extensions import doc_text, register
from casex.gated_regex import gated
from casex.version import pipeline_version

# a written form inside a longer compound is not the therapy (`RT-PCR`)
_COMPOUND = re.compile(r"-[A-Za-z0-9]")
# a therapy named as an attribute is not one given (`chemotherapy-free`, `transfusion-dependent`)
_ATTRIBUTE = re.compile(
    r"-(?:free|naive|naïve|dependent|dependence|independent|independence)\b", re.I
)
_TARGET = r"(?P<target>[A-Z][A-Za-z0-9]*(?:[-/][A-Z0-9][A-Za-z0-9]*)*)"
_CLASS_GRAMMAR = (
    gated(
        r"(?<![\w-])[Aa]nti-" + _TARGET + r"(?:\s+monoclonal)?\s+(?P<head>antibod(?:y|ies)"
        r"(?:\s*[-–]\s*drug\s+conjugates?)?|agents?|therapy|therapies|CAR[- ]?T(?:\s+cells?)?)\b"
    ),
    gated(r"(?<![\w-])" + _TARGET + r"[\s-]+(?P<head>inhibitors?|inhibition)\b"),
    gated(
        r"(?<![\w-])" + _TARGET + r"[- ](?:directed|targeted)\s+"
        r"(?P<head>therapy|therapies|agents?|(?:bispecific\s+)?antibod(?:y|ies))\b"
    ),
)
_NOT_TARGETS = {"The", "A", "An", "This", "These", "No", "Its", "Their"}


@Language.factory("casex_therapies", default_config={"table": "vocab/therapies.json"})
def create_therapies(nlp: Language, name: str, table: str):
    words = load_json(table)

    def build() -> tuple[dict, TokenTrie]:
        lexicon = therapy_lexicon(words)
        trie = TokenTrie()
        keys = sorted(lexicon)
        for key, doc in zip(keys, nlp.tokenizer.pipe(lexicon[key][0] for key in keys)):
            trie.add(key, [token.text for token in doc])
        return lexicon, trie

    lexicon, trie = cached("therapies", pipeline_version(), build)
    return TherapyFinder(lexicon, trie, words["modifiers"])


def therapy_lexicon(table: dict) -> dict[str, tuple[str, tuple[str, ...], dict]]:
    """Lower-case form -> (the form as listed; the spellings it must have, none for any case;
    normalized fields); plurals too (`TKIs`). Acronyms match only as written
    (`spans.written_form`)."""
    lexicon: dict[str, tuple[str, tuple[str, ...], dict]] = {}
    entries = [
        (e["forms"] + [e["name"]], {"kind": "regimen", "name": e["name"], "agents": e["agents"]})
        for e in table["regimens"]
    ] + [
        (e["forms"], {"kind": e["kind"], "name": e["name"], "agents": None})
        for e in table["therapies"]
    ]
    for forms, fields in entries:
        for form in forms:
            variants = [form]
            if form[-1].isalpha() and not form.endswith("s"):
                variants.append(form[:-1] + "ies" if form.endswith("y") else form + "s")
            for variant in variants:
                exact = (variant,) if written_form(variant) else ()
                key = variant.lower()
                if key not in lexicon:
                    lexicon[key] = (variant, exact, fields)
                elif exact and lexicon[key][1] and lexicon[key][2] == fields:
                    lexicon[key] = (variant, lexicon[key][1] + exact, fields)
    return lexicon


class TherapyFinder:
    def __init__(self, lexicon: dict, trie: TokenTrie, modifiers: list[str]) -> None:
        register()
        self.lexicon, self.trie = lexicon, trie
        words = sorted((re.escape(m).replace(r"\-", "[- ]") for m in modifiers), key=len)
        self.modifiers = re.compile(
            r"(?:(?<![\w-])(?:" + "|".join(reversed(words)) + r")\s+)+$", re.I
        )
        # the last word of each modifier: a text that ends in none has no modifiers at its end
        self.modifier_ends = tuple({re.split(r"[- ]", m.lower())[-1] for m in modifiers})

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        found: list[tuple[int, int, dict]] = []
        for key, start, end in longest_matches(self.trie(doc)):
            span = doc[start:end]
            written = text[span.start_char : span.end_char]  # `span.text` makes Tokens
            _, spellings, fields = self.lexicon[key]
            if spellings and (
                written not in spellings
                or _COMPOUND.match(text, span.end_char)
                or text[span.start_char - 1 : span.start_char] == "-"
            ):
                continue
            if not _ATTRIBUTE.match(text, span.end_char):
                found.append((span.start_char, span.end_char, dict(fields)))
        kept: list[tuple[int, int, dict]] = []  # the longer of overlapping table and grammar finds
        for start, end, fields in sorted(found + _grammar(text), key=lambda f: f[0] - f[1]):
            if all(end <= s or start >= e for s, e, _ in kept):
                kept.append((start, end, fields))
        for start, end, fields in kept:
            before = self._modifiers_before(text, start)
            add_candidate(doc, before.start() if before else start, end, "THERAPY", fields)
        return doc

    def _modifiers_before(self, text: str, start: int) -> re.Match | None:
        """The modifiers right before a therapy (`second-generation`, `reduced-intensity`).
        The search tries the whole alternation at each of 80 characters, so the text is first
        checked to end in white space after a modifier's last word."""
        window_start = max(0, start - 80)
        window = text[window_start:start]
        written = window.rstrip()
        if len(written) == len(window):
            return None  # no white space before the therapy
        if written.isascii() and not written.lower().endswith(self.modifier_ends):
            return None
        return self.modifiers.search(text, window_start, start)


def _grammar(text: str) -> list[tuple[int, int, dict]]:
    """Drug classes named by their target: `anti-CD20 antibody`, `BTK inhibitors`."""
    found = []
    for pattern in _CLASS_GRAMMAR:
        for match in pattern.finditer(text):
            if match["target"] in _NOT_TARGETS:
                continue
            head = match["head"].lower().replace("–", "-")
            head = re.sub(r"\s*-\s*", "-", head)
            head = re.sub(r"(?<=[^s])s\b", "", re.sub(r"ies\b", "y", head))
            name = re.sub(r"\s+", " ", match[0][: match.start("head") - match.start()]).lower()
            name = (name.strip() + " " + ("inhibitor" if head == "inhibition" else head)).strip()
            found.append(
                (match.start(), match.end(), {"kind": "drug_class", "name": name, "agents": None})
            )
    return found
