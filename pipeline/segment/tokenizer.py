"""Clinical tokenizer: scispaCy's rules plus splits that keep numbers apart from units and signs."""

from __future__ import annotations

import re
import string
import sys
import warnings
from types import SimpleNamespace

from scispacy.consts import ABBREVIATIONS
from scispacy.custom_tokenizer import combined_rule_tokenizer
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, registry

from casex.cache import cached
from casex.extensions import keep_text
from casex.gated_regex import needs_other_than
from casex.normalizers.alternation import trie_alternation

# Spaces that journals put between a number and its unit. They become plain spaces in the
# text the tokenizer sees: a one-for-one substitution, so every offset stays valid.
_ONE_FOR_ONE = {
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\u2007": " ",
    # superscript signs of markers: CD34⁺, CD19⁻
    "\u207a": "+",
    "\u207b": "-",
}

# Unit words that may be glued to a number (`300mg`, `3.5g/dl`, `5x`).
_GLUED_UNITS = (
    r"(?:mg|g|kg|mcg|[µμu]g|ng|pg|mL|ml|dL|dl|L|IU|MIU|U|Gy|cGy|mmol|[µμu]mol|nmol|pmol|mEq"
    r"|[µμu]L|[µμu]l|mm|cm|h|hr|x|X|×|fL|fl|%)"
)
_INFIXES = [
    rf"(?<=[0-9])(?={_GLUED_UNITS}(?![A-Za-z]))",  # 300mg -> 300 mg (zero-width split)
    r"/",  # 2400/μL, mg/m2, CD3+/8+
    r"(?<=[0-9][xX×])(?=10)",  # 1.2x10^9/L
    # markers glued with their signs, each sign a token: CD19+CD10+CD34+CD20−cyCD3−MPO−
    r"(?<=[0-9])[+−](?=[A-Za-z])",
    r"(?<=[0-9])-(?=(?:cy|c)?[A-Z]{2,})",
    r"(?<=[a-z]{4})-(?=[a-z]{4})",  # venetoclax-azacitidine, rituximab-based
    r"(?<=\b[A-Z]{3})-(?=[A-Z]{3}\b)",  # two abbreviations joined: TMP-SMX
    # a regimen's code and an agent: mFOLFOX6-panitumumab (not CD20-negative, EGFR-mutated)
    r"(?<=[A-Z0-9]{2})-(?=[a-z]{6,})(?!positiv|negativ|express|mutat|mutan|rearrang|direct|"
    r"target|depend|associat|restrict|deficien|amplif|delet|wild|type|like\b)",
    # an agent glued to what it did: MTX-induced, 5-FU-based, CBZ-related
    r"(?<=[A-Za-z0-9])-(?=(?:induced|related|based|associated|containing|resistant|refractory"
    r"|treated|exposed|dependent|sparing|free)\b)",
]
_PREFIXES = [r"[<>≤≥]=?", r"×", r"[xX](?=10)", r"[~≈]"]
_SUFFIXES = [
    r"(?<=[A-Za-zμµ%²³+−–-])\.(?=$)",  # a full stop after a unit or a sign: `2400/μL.`
    r"(?<=[0-9A-Za-z\)])\+{1,3}",
    r"(?<=[0-9])[-−–]",
    r"(?<=[0-9])\((?:[+\-−–]|\+{2,3})\)",
]
# Karyotypes such as t(9;22) or t(9;22)(q34;q11) stay one token.
_TOKEN_MATCH = re.compile(
    r"^(?:t|inv|del|der|dup|ins|i)\(\d+[;,]?\d*\)(?:\([pq][\d.]+;?[pq]?[\d.]*\))?$"
)


def nlp_text(text: str) -> str:
    """The text the pipeline reads: the report's text with one-for-one substitutions, so that
    every offset stays valid. Exotic spaces become plain spaces, and in a hard-wrapped text
    the line breaks inside a paragraph become spaces (`complete\nmetabolic response` reads as
    one phrase); short lines, blank lines and so headings keep their breaks."""
    for written, read in _ONE_FOR_ONE.items():  # `str.translate` looks up every character
        if written in text:
            text = text.replace(written, read)
    breaks = _wrapped_breaks(text)
    if not breaks:
        return text
    chars = list(text)
    for position in breaks:
        chars[position] = " "
        if position and chars[position - 1] == "\r":
            chars[position - 1] = " "
    return "".join(chars)


_WRAP_WIDTH = 120  # a text whose lines are mostly shorter than this is hard-wrapped
_MIN_WRAP = 50  # ... and mostly longer than this


def _wrapped_breaks(text: str) -> list[int]:
    """Positions of the line breaks inside paragraphs of a hard-wrapped text."""
    lines = text.split("\n")
    lengths = sorted(len(line.rstrip()) for line in lines if line.strip())
    if len(lengths) < 5:
        return []
    width = lengths[int(0.9 * (len(lengths) - 1))]  # the wrap width, give or take
    if not _MIN_WRAP <= width <= _WRAP_WIDTH:
        return []  # one paragraph per line, or a list or table of short lines
    breaks, offset = [], 0
    for line, following in zip(lines, lines[1:]):
        offset += len(line)
        if following.strip() and len(line.rstrip()) >= 0.7 * width:
            breaks.append(offset)
        offset += 1
    return breaks


_LONG_TEXT = 10_000  # characters: a text of a few pages, whose words recur
_MOST_MET = 50_000  # words remembered as cached before the set of them starts again


class ClinicalTokenizer(Tokenizer):
    """spaCy's tokenizer reading the text through `nlp_text` (same length, same offsets), its
    cache filled first with the words of a long text (from its second) that it has not met.

    spaCy caches how it split each word (`patients,` into `patients` and `,`), but only until
    the first special case of a Doc (`Fig.`, `al.`, `’s`; spaCy #13950), so in a journal
    article it splits most words anew at each occurrence. The text's new words without a
    special case's text in them are therefore first tokenized together, once each, as a text
    that meets none: each is then cached. The others (`cells` holds the special case `ll`)
    are tokenized one by one, so that only those that meet a special case (`(Fig.`) stay
    uncached. A cached word gives the tokens it would give uncached.
    """

    def __call__(self, text: str):
        text = nlp_text(text)
        if len(text) >= _LONG_TEXT:
            self._cache_words(text)
        return keep_text(super().__call__(text), text)

    def _cache_words(self, text: str) -> None:
        met = self.__dict__.get("met")
        if met is None:  # the first long text: the special cases' regex takes 20 ms to build,
            self.__dict__["met"] = set()  # more than one text gains (a one-report run)
            return
        words = set(text.split())  # spaCy's words: the runs between white space
        words.difference_update(met)
        if len(met) > _MOST_MET:
            met.clear()  # about 4 MB
        met |= words
        specials = self.__dict__.get("specials")
        if specials is None or specials[0] != len(self.rules):
            specials = self.__dict__["specials"] = (
                len(self.rules),
                re.compile(trie_alternation(list(self.rules)) or "(?!)"),
            )
        holds_special = specials[1].search
        plain = [word for word in words if not holds_special(word)]
        if plain:
            super().__call__(" ".join(plain))
        for word in words.difference(plain):  # alone: a special case stops only its caching
            super().__call__(word)


@registry.tokenizers("casex.clinical_tokenizer.v1")
def create_clinical_tokenizer():
    """Registered factory for config files: returns a tokenizer builder."""
    return clinical_tokenizer


def clinical_tokenizer(nlp: Language) -> ClinicalTokenizer:
    """scispaCy's combined rule tokenizer with number, unit, sign and karyotype rules first.

    Built in one go, so that spaCy loads the special cases once (each property setter of a
    Tokenizer reloads them all). The special cases that are only white space (`" "`, `"\\n"`)
    are left out: they give the same tokens as the plain splitting on spaces, and their
    presence switches spaCy's tokenizer cache off for the rest of a Doc (spaCy #13950). So
    are those of unit letters with a full stop (`g.`).
    """
    # scispaCy's regexes, from a tokenizer built without the language's special cases
    no_exceptions = SimpleNamespace(
        vocab=nlp.vocab,
        Defaults=SimpleNamespace(tokenizer_exceptions={}),
        tokenizer=SimpleNamespace(token_match=None),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        scispacy = combined_rule_tokenizer(no_exceptions)
    prefix, suffix, infix = _affix_searches(
        _before(compile_prefix_regex(_PREFIXES), scispacy.prefix_search),
        _before(compile_suffix_regex(_SUFFIXES), scispacy.suffix_search),
        _before(compile_infix_regex(_INFIXES), scispacy.infix_finditer),
    )
    rules = dict(nlp.Defaults.tokenizer_exceptions)
    rules.update({abbreviation: [{ORTH: abbreviation}] for abbreviation in ABBREVIATIONS})
    return ClinicalTokenizer(
        nlp.vocab,
        rules={
            text: tokens
            for text, tokens in rules.items()
            if text.strip() and text not in _UNIT_LETTERS_WITH_STOP
        },
        prefix_search=prefix,
        suffix_search=suffix,
        infix_finditer=infix,
        token_match=_TOKEN_MATCH.match,
    )


# spaCy keeps a letter and a full stop together (`g.` as in an initial); after a unit's slash
# that letter is the unit and the stop ends the sentence: `4.6 g/g.`, `12 mmol/L.`
_UNIT_LETTERS_WITH_STOP = {"g.", "l.", "L.", "h.", "m."}


class AffixSearch:
    """A prefix, suffix or infix search of the tokenizer that skips a word written in ASCII
    letters alone when every match of its regex needs another character (as casex's and
    scispaCy's affixes do): most words of a report, which spaCy searches for affixes each
    time its cache is off (after any special case, such as `Fig.` or `’s`, spaCy #13950)."""

    def __init__(self, regex: re.Pattern[str], method: str, skips_letters: bool) -> None:
        self.regex, self.method, self.skips_letters = regex, method, skips_letters
        self.__self__ = regex  # spaCy saves a search as its bound method's `__self__.pattern`
        self.search = getattr(regex, method)

    def __call__(self, text: str):
        if self.skips_letters and text.isalpha() and text.isascii():
            return None if self.method == "search" else iter(())
        return self.search(text)

    def __reduce__(self):
        return type(self), (self.regex, self.method, self.skips_letters)


def _affix_searches(*regexes: re.Pattern[str]) -> list[AffixSearch]:
    """The prefix, suffix and infix searches; whether each may skip words of letters is read
    from its regex once (about 20 ms) and kept in casex's cache under the regexes' text."""
    key = "\n".join(f"{regex.flags} {regex.pattern}" for regex in regexes) + sys.version
    skips = cached(
        "affixes", key, lambda: [needs_other_than(r, string.ascii_letters) for r in regexes]
    )
    methods = ("search", "search", "finditer")
    return [AffixSearch(*search) for search in zip(regexes, methods, skips)]


def _before(ours: re.Pattern, theirs) -> re.Pattern:
    """One regex trying our alternatives first, then scispaCy's (`theirs` is a bound method)."""
    with warnings.catch_warnings():
        # scispaCy's character classes trip a FutureWarning of `re` that says nothing to users
        warnings.simplefilter("ignore", FutureWarning)
        return re.compile(f"{ours.pattern}|{theirs.__self__.pattern}")
