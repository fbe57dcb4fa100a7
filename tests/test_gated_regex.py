"""A gated pattern skips only texts in which the pattern cannot match."""

import re
import string
from pathlib import Path

import pytest

from casex.components.therapies import _CLASS_GRAMMAR
from casex.gated_regex import (
    GatedPattern,
    gated,
    needs_other_than,
    required_words,
    without_leading_assertions,
)
from casex.normalizers.lab_context import RESPECTIVELY

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "raw"


@pytest.mark.parametrize(
    ("pattern", "flags", "words"),
    [
        (r"\b(?P<word>monosomy|trisomy)\s+(?P<arm>\d{1,2}|X)\b", 0, {"monosomy", "trisomy"}),
        (r"\b(?:AUC|area under the curve)\s?=", re.I, {"auc", "area under the curve"}),
        # the most selective of the words a sequence needs: not `gain`
        (r"\bgain\s+of\s+(?:chromosome|trisomy)\s", 0, {"chromosome", "trisomy"}),
        # a branch without a word, an optional word, short words: nothing required
        (r"\b(?:mutated|[A-Z]\d+)\b", 0, None),
        (r"(?:karyotype)?\s+\d+", 0, None),
        (r"\d+\s?(?:mg|g)\b", 0, None),
        # a non-ASCII letter ends a word
        (r"β-thalassaemia", 0, {"-thalassaemia"}),
    ],
)
def test_required_words(pattern, flags, words):
    assert required_words(re.compile(pattern, flags)) == (frozenset(words) if words else None)


@pytest.mark.parametrize(
    ("pattern", "flags", "texts"),
    [
        # every match holds a required word, whichever branch or option it takes
        (
            r"\b(?:twice|two times|2 times)[ -](?:a |per )?(?:day|daily)\b",
            re.I,
            ["Twice a day", "2 times-daily", "TWO TIMES per day"],
        ),
        (r"(?:C(?:282Y|797S)|D816V|V6(?:00(?:E|K)|17F))(?!\w)", 0, ["C282Y", "V600K", "V617F"]),
        (
            r"(?:(?:CAR[- ]?T|CD34\+?|viable)[- ])?cells?/kg",
            re.I,
            ["2 CAR-T cells/kg", "CD34+ CELL/kg", "viable-cells/kg"],
        ),
        (r"\d+\s?(?:times)+\s+(?=weekly)", 0, ["3 timestimes weekly"]),
        (r"(?i:q\.?d\.?|once daily)\b", 0, ["Q.D.", "ONCE DAILY"]),
    ],
)
def test_every_match_holds_a_required_word(pattern, flags, texts):
    compiled = re.compile(pattern, flags)
    words = required_words(compiled)
    for text in texts:
        match = compiled.search(text)
        assert match, text
        assert words is None or any(word in match.group().lower() for word in words), text
        assert gated(compiled).search(text), text


def test_a_text_without_the_words_is_not_scanned():
    pattern = gated(r"\brespectively\b", re.I)
    assert pattern.search("Ferritin and CRP were 900 and 85, RESPECTIVELY.")
    assert pattern.search("Ferritin and CRP were 900 and 85.") is None
    assert not pattern.may_match("Ferritin and CRP were 900 and 85.")
    # `ſ` matches `s` when case is ignored, though its lower case is not `s`
    assert pattern.search("were 900 and 85, reſpectively")


def _pipeline_patterns(nlp) -> list[GatedPattern]:
    quantities = nlp.get_pipe("casex_quantities").grammar
    genetics = nlp.get_pipe("casex_genetics").grammar
    patterns = [p for _, p in genetics.scans] + list(_CLASS_GRAMMAR) + [RESPECTIVELY]
    patterns += [quantities.auc_re, quantities.cell_dose_re, quantities.titre_re]
    patterns += [quantities.quantity_re, quantities.paired_dose_re, quantities.shared_unit_re]
    patterns += [quantities.mrd.subject_re, nlp.get_pipe("casex_drugs").dosed_re]
    patterns += [pattern for pattern, _ in quantities.schedules.frequencies]
    assert all(isinstance(p, GatedPattern) for p in patterns)
    return patterns


def test_the_pipelines_gates_skip_no_match(nlp):
    """Over every paragraph of the bundled reports, a gated scan finds what the plain one
    does, and most gates skip some paragraphs."""
    paragraphs = [
        part
        for path in sorted(CORPUS.glob("*.txt"))
        for part in re.split(r"\n\s*\n", path.read_text(encoding="utf-8"))
    ]
    skipping = 0
    for pattern in _pipeline_patterns(nlp):
        for text in paragraphs:
            plain = [m.span() for m in pattern.pattern.finditer(text)]
            assert [m.span() for m in pattern.finditer(text)] == plain
        skipping += any(not pattern.may_match(text) for text in paragraphs)
    assert skipping >= 10


@pytest.mark.parametrize(
    ("pattern", "flags", "needs"),
    [
        (r"(?<=[0-9])(?=mg)", 0, True),  # an empty match whose look-behind needs a digit
        (r"(?:[a-z]+|\d)-", 0, True),
        (r"\.\.+$|(?<=[a-z])[,;]$", 0, True),
        (r"ab|c-", 0, False),  # one branch needs letters only
        (r"(?:-)?[a-z]", 0, False),  # an optional sign
        (r"(?<![0-9])s", 0, False),  # a look-behind that must not hold
        (r"\b", 0, False),
        (r"[^a-z]", 0, False),  # upper-case letters are outside [a-z]
        (r"[^a-z]", re.I, True),
        (r"\u017f", re.I, False),  # `ſ` matches `s` when case is ignored
    ],
)
def test_needs_other_than_letters(pattern, flags, needs):
    compiled = re.compile(pattern, flags)
    assert needs_other_than(compiled, string.ascii_letters) is needs
    if needs:
        assert not any(compiled.search(word) for word in ("s", "mg", "Patients", "aB"))


def test_the_tokenizers_affix_searches_skip_words_of_letters_and_give_the_same_tokens(nlp):
    """casex's prefix, suffix and infix regexes all need a character other than a letter, and
    the tokenizer gives the tokens it gives with their plain searches."""
    tokenizer = nlp.tokenizer
    searches = (tokenizer.prefix_search, tokenizer.suffix_search, tokenizer.infix_finditer)
    assert all(search.skips_letters for search in searches)
    plain = type(tokenizer)(
        tokenizer.vocab,
        rules=tokenizer.rules,
        prefix_search=tokenizer.prefix_search.search,
        suffix_search=tokenizer.suffix_search.search,
        infix_finditer=tokenizer.infix_finditer.search,
        token_match=tokenizer.token_match,
    )
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        ours, theirs = tokenizer(text), plain(text)
        assert [(t.text, t.whitespace_, t.norm_) for t in ours] == [
            (t.text, t.whitespace_, t.norm_) for t in theirs
        ], path.name


@pytest.mark.parametrize(
    ("pattern", "flags", "rest"),
    [
        (r"(?<![\w-])(?P<x>[A-Z][a-z]*)\d", 0, r"(?P<x>[A-Z][a-z]*)\d"),
        (r"\b(?:Ph|Philadelphia)\b", 0, r"(?:Ph|Philadelphia)\b"),
        (r"(?<![)\]])(?=\d)12", 0, "12"),  # a `)` in a set does not close the group
        (r"\bPh\b", re.I, None),  # `re` finds no first character to skip to
        (r"\bfoo|bar", 0, None),  # `\b` belongs to the first alternative only
        (r"(?<!x)(?:\d+)?y", 0, None),  # the rest opens with an optional part
        (r"(?<!x)\d+", 0, None),  # ... or with a repeat
        (r"(?<=(a))(b)\1", 0, None),  # cut, `\1` would be another group
        (r"\b(?:x)?", 0, None),  # a pattern that can match empty
    ],
)
def test_without_leading_assertions(pattern, flags, rest):
    found = without_leading_assertions(re.compile(pattern, flags))
    assert (found.pattern if found else None) == rest


def test_a_pattern_is_scanned_where_its_rest_matches():
    """The rest matches after `a` too, where the look-behind fails: the scan goes on."""
    pattern = gated(r"(?<![A-Za-z])Ph\+(?P<n>\d)?")
    assert pattern.rest is not None
    text = "aPh+ Ph+ xPh+Ph+2"
    assert [m.span() for m in pattern.finditer(text)] == [(5, 8), (13, 17)]
    assert [m.span() for m in pattern.pattern.finditer(text)] == [(5, 8), (13, 17)]
    assert pattern.search(text, 6).span() == (13, 17)
    assert pattern.search(text, 6, 15) is None
    for pos, endpos in ((0, 3), (1, 8), (6, 16), (6, 17), (14, 17)):
        plain = pattern.pattern.search(text, pos, endpos)
        gated_ = pattern.search(text, pos, endpos)
        assert (plain and plain.span()) == (gated_ and gated_.span()), (pos, endpos)
    assert pattern.search("(Ph+3)").group("n") == "3"


@pytest.mark.parametrize(
    ("pattern", "digits"),
    [
        (r"(?<![\d.,])\d{1,3},\d{1,2}(?![\d,.])", True),
        (r"(?<![\w.,/])(?<![A-Za-z]-)(?:(?<!\d-)\d{1,3}(?: \d{3})+|\d+)\s?mg", True),
        (r"(?<![a.])\d+", False),  # a digit may precede
        (r"\d+", False),
        (r"(?<!\w)[0-9a]", False),  # a match may open with a letter
        (r"(?<![\w])²", False),  # `\d` does not match a superscript
        (r"(?<![^\d])\d", False),
        (r"(?<![\d])(?:\d|x)", False),
        (r"(?<!\d)(\d+)", True),
        (r"(?<!\d)(?:\d+)?x", False),  # the group that opens it is optional
    ],
)
def test_a_pattern_that_opens_a_run_of_digits(pattern, digits):
    assert gated(pattern).digits is digits


def test_a_pattern_is_scanned_where_a_run_of_digits_starts():
    pattern = gated(r"(?<![\w.])(?P<n>\d+(?:\.\d+)?)\s?mg")
    assert pattern.digits
    text = "x2 mg, 12.5mg and 3 mg; ٣ mg, 4.5 mg/kg 10 mg a1 mg"
    plain = [m.span() for m in pattern.pattern.finditer(text)]
    assert plain == [(7, 13), (18, 22), (24, 28), (30, 36), (40, 45)]
    assert [m.span() for m in pattern.finditer(text)] == plain
    for pos, endpos in ((0, 5), (8, 30), (19, 21), (30, 47), (31, 60)):
        found = pattern.search(text, pos, endpos)
        expected = pattern.pattern.search(text, pos, endpos)
        assert (found and found.span()) == (expected and expected.span()), (pos, endpos)


@pytest.mark.parametrize(
    ("pattern", "flags", "openings"),
    [
        (
            r"\b(?:AUC|area under the (?:concentration-time )?curve)\s?=",
            re.I,
            {"auc", "area under the curve", "area under the concentration-time curve"},
        ),
        # what the first item that is no exact string opens with
        (r"\b(?:normal(?:\s+male)?\s+karyotype|hyperdiploid)", re.I, {"normal", "hyperdiploid"}),
        (r"\bevery (\d+|two) ?months?", re.I, {"every "}),
        (r"\b(?:q\.?d|once daily)\b", re.I, None),  # `q` opens too many words
        (r"(?:^|(?<=\s))daily", re.I, None),  # a branch of look-arounds only
    ],
)
def test_the_strings_every_match_opens_with(pattern, flags, openings):
    found = gated(pattern, flags).openings
    assert (set(found.pattern.replace("\\", "").split("|")) if found else None) == openings


def test_a_case_insensitive_pattern_is_scanned_where_its_openings_stand():
    pattern = gated(r"\b(?:MRD|minimal residual disease)\b", re.I)
    assert pattern.openings is not None
    text = "mrd-negative; MRDs; Minimal Residual Disease; xMRD, MRD"
    plain = [m.span() for m in pattern.pattern.finditer(text)]
    assert plain == [(0, 3), (20, 44), (52, 55)]
    assert [m.span() for m in pattern.finditer(text)] == plain
    assert pattern.search(text, 1).span() == (20, 44)
    # `ſ`, whose lower case is not `s`, matches `s` when case is ignored: scanned by `re`
    assert pattern.search("minimal reſidual disease").span() == (0, 24)


def test_a_scan_is_not_disturbed_by_scans_of_other_texts():
    """Each gated scan reads the candidates of its own text, though the digit runs and the
    lower case of only the last text read are kept."""
    numbers, words = gated(r"(?<!\w)\d+\s?mg"), gated(r"\bMRD\b", re.I)
    first, second = "5 mg MRD 10 mg MRD 20 mg", "MRD 7 mg mrd"
    scanned = []
    for number in numbers.finditer(first):
        scanned.append(number.span())
        scanned += [m.span() for m in words.finditer(second)]
        scanned += [m.span() for m in numbers.finditer(second)]
    in_second = [(0, 3), (9, 12), (4, 8)]
    assert scanned == [(0, 4), *in_second, (9, 14), *in_second, (19, 24), *in_second]
