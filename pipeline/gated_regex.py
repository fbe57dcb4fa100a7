"""Regular expressions whose whole-text scans skip a text that lacks every word a match needs.

Python's `re` finds no literal prefix in a pattern that opens with a look-behind, `\\b`, a
case-insensitive word or an alternation, so it tries such a pattern at every character of a
report, whether or not the report holds any of its words. `required_words` reads from the
pattern's parse tree a set of words one of which every match contains; a substring test of
the lower-case text (at C speed) then decides whether the scan can find anything. Neither
`re` nor spaCy offers such a pre-test (RE2's "prefilter" is the same idea).
`needs_other_than` reads in the same way whether every match needs a character outside a
set: the tokenizer's affix searches then skip the words written in ASCII letters alone.
A gated pattern that `re` would try at every character (it opens with a look-behind, `\\b` or
a case-insensitive word) is matched only where it can start: where the rest after its
look-arounds matches, where a run of digits starts, or where one of the few strings that
open every match stands in the lower-case text.
"""

from __future__ import annotations

import re
import sys
import warnings
from bisect import bisect_left
from collections.abc import Iterator

try:  # Python 3.11+
    from re import _constants as _codes
    from re import _parser
except ImportError:  # Python 3.10
    import sre_constants as _codes  # type: ignore[no-redef]
    import sre_parse as _parser  # type: ignore[no-redef]

# Characters that `re.IGNORECASE` matches with an ASCII letter but that `str.lower` does not
# turn into it (`ſ` matches `s`): a text holding one is always scanned.
_ODD_FOLDS = ("\u0130", "\u0131", "\u017f", "\u212a")
_SHORTEST = 3  # shorter words occur in almost every report
_MOST_SPELLINGS = 64  # the most exact strings one run of items is read as
_MOST_WORDS = 32  # the most words a gate tests
_LONG_ENOUGH = 6  # words this long are rare enough: fewer of them are then preferred
_END = sys.maxsize  # `re`'s default end position

_REPEATS = tuple(
    getattr(_codes, name)
    for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
    if hasattr(_codes, name)
)


def required_words(pattern: re.Pattern[str], tree=None) -> frozenset[str] | None:
    """Lower-case ASCII words one of which every match of `pattern` (parsed as `tree`, if
    given) contains, or None when the pattern needs no word of at least three letters."""
    words = _words(tree or _parsed(pattern))
    if words is None or min(map(len, words)) < _SHORTEST:
        return None
    return words


def needs_other_than(pattern: re.Pattern[str], chars: str) -> bool:
    """Whether every match of `pattern` needs a character not in `chars`, so that a string
    made of `chars` alone has no match (not even an empty one). Read from the parse tree: a
    sequence needs one if a mandatory item of it does (a character, a group, a repeat of at
    least one, a look-around that must hold, an alternation all of whose branches do)."""
    flags = pattern.flags & (re.IGNORECASE | re.ASCII | re.DOTALL)
    return _needs_other(_parsed(pattern), chars, flags)


def _parsed(pattern: re.Pattern[str]):
    """The parse tree of a compiled pattern: `re` gave its warnings when it compiled it."""
    return _parse(pattern.pattern, pattern.flags)


def _parse(source: str, flags: int):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return _parser.parse(source, flags)


def _needs_other(items, chars: str, flags: int) -> bool:
    for code, value in items:
        if code is _codes.SUBPATTERN:
            needs = not value[1] and not value[2] and _needs_other(value[-1], chars, flags)
        elif code is _codes.BRANCH:
            needs = all(_needs_other(branch, chars, flags) for branch in value[1])
        elif code in _REPEATS:
            needs = value[0] >= 1 and _needs_other(value[2], chars, flags)
        elif code is _codes.ASSERT:  # the characters looked at are in the string too
            needs = _needs_other(value[1], chars, flags)
        else:
            one = _one_character(code, value)
            needs = one is not None and not any(re.fullmatch(one, c, flags) for c in chars)
        if needs:
            return True
    return False


_CATEGORIES = {
    _codes.CATEGORY_DIGIT: r"\d",
    _codes.CATEGORY_NOT_DIGIT: r"\D",
    _codes.CATEGORY_SPACE: r"\s",
    _codes.CATEGORY_NOT_SPACE: r"\S",
    _codes.CATEGORY_WORD: r"\w",
    _codes.CATEGORY_NOT_WORD: r"\W",
}


def _one_character(code, value) -> str | None:
    """A regex of the one character a parsed item matches, or None for any other item."""
    if code is _codes.LITERAL:
        return re.escape(chr(value))
    if code is _codes.NOT_LITERAL:
        return f"[^{re.escape(chr(value))}]"
    if code is _codes.ANY:
        return "."
    if code is _codes.CATEGORY:
        return _CATEGORIES.get(value)
    if code is not _codes.IN:
        return None
    members = []
    for member, detail in value:
        if member is _codes.NEGATE:
            members.insert(0, "^")
        elif member is _codes.LITERAL:
            members.append(re.escape(chr(detail)))
        elif member is _codes.RANGE:
            members.append(f"{re.escape(chr(detail[0]))}-{re.escape(chr(detail[1]))}")
        elif member is _codes.CATEGORY and detail in _CATEGORIES:
            members.append(_CATEGORIES[detail])
        else:
            return None
    return f"[{''.join(members)}]"


def _words(items) -> frozenset[str] | None:
    """The most selective of the word sets a sequence of parsed items requires: each run of
    literals is one, so is each run of items that spell a few exact strings (`titres?`,
    `C(?:282Y|797S)`), and so is what a group, an alternation (the union of its branches') or a
    repeat of at least one requires."""
    required: list[frozenset[str] | None] = []
    literal, run = "", frozenset({""})
    for item in items:
        if item[0] is _codes.LITERAL and item[1] < 128:
            literal += chr(item[1]).lower()
        else:
            required += [frozenset({literal}), _inner_words(item)]
            literal = ""
        spelled = _spelled(item)
        if spelled is not None and len(run) * len(spelled) <= _MOST_SPELLINGS:
            run = frozenset(a + b for a in run for b in spelled)
        else:
            required.append(run)
            run = spelled or frozenset({""})
    required += [frozenset({literal}), run]
    # a few words, each a substring test of the text
    usable = [_shortest(w) for w in required if w and "" not in w]
    usable = [w for w in usable if len(w) <= _MOST_WORDS]
    if not usable:
        return None
    return max(usable, key=lambda words: (min(_LONG_ENOUGH, *map(len, words)), -len(words)))


def _shortest(words: frozenset[str]) -> frozenset[str]:
    """The words that hold no other word of the set: a text that holds `car-t cells/kg` holds
    `cells/kg`, which alone needs testing."""
    return frozenset(w for w in words if not any(o != w and o in w for o in words))


def _inner_words(item) -> frozenset[str] | None:
    """What a group, an alternation or a repeat of at least one requires."""
    code, value = item
    if code is _codes.SUBPATTERN:
        return _words(value[-1])
    if code is _codes.BRANCH:
        return _union(value[1], _words)
    if code in _REPEATS and value[0] >= 1:
        return _words(value[2])
    return None


def _spelled(item) -> frozenset[str] | None:
    """The lower-case ASCII strings an item matches when they are few and exact, else None."""
    code, value = item
    if code is _codes.LITERAL:
        return frozenset({chr(value).lower()}) if value < 128 else None
    if code is _codes.IN:  # `(?:C|D|V)` is parsed as the set [CDV]
        if all(member is _codes.LITERAL and char < 128 for member, char in value):
            return frozenset(chr(char).lower() for _, char in value)
        return None
    if code is _codes.SUBPATTERN:
        return _spelled_sequence(value[-1])
    if code is _codes.BRANCH:
        return _union(value[1], _spelled_sequence, _MOST_SPELLINGS)
    if code in _REPEATS and value[0] == 0 and value[1] == 1:
        inner = _spelled_sequence(value[2])
        return None if inner is None else inner | {""}
    return None


def _union(branches, read, most: int = _END) -> frozenset[str] | None:
    """The union of what `read` finds in each branch, or None when it finds nothing in one of
    them or more than `most` strings in all (counted branch by branch)."""
    found: list[frozenset[str]] = []
    count = 0
    for branch in branches:
        strings = read(branch)
        count += len(strings or ())
        if not strings or count > most:
            return None
        found.append(strings)
    return frozenset().union(*found)


def _spelled_sequence(items) -> frozenset[str] | None:
    spellings = frozenset({""})
    for item in items:
        spelled = _spelled(item)
        if spelled is None or len(spellings) * len(spelled) > _MOST_SPELLINGS:
            return None
        spellings = frozenset(a + b for a in spellings for b in spelled)
    return spellings


class GatedPattern:
    """A compiled pattern scanned over whole texts only when the text holds a required word,
    and, when `re` would try it at every character, only where it can start."""

    __slots__ = ("pattern", "words", "rest", "digits", "openings")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        # every match opens a run of digits (a look-behind for no digit, then a digit): tried
        # at each run, which is quick enough without a gate (reading the words of a large
        # alternation of units would take 10 ms at every start)
        self.digits = _opens_a_digit_run(_opening_items(pattern))
        self.words = self.rest = self.openings = None
        if self.digits:
            return
        tree = _parsed(pattern)
        self.words = required_words(pattern, tree)
        self.rest = without_leading_assertions(pattern, tree)
        if self.rest is None:  # the strings that open every match, sought in lower case
            openings = _openings(tree.data)
            if openings and min(map(len, openings)) >= _SHORTEST:
                ordered = sorted(openings, key=lambda o: (-len(o), o))
                self.openings = re.compile("|".join(map(re.escape, ordered)))

    def may_match(self, text: str) -> bool:
        if self.words is None:
            return True
        lowered = _lowered(text)
        return lowered is None or any(word in lowered for word in self.words)

    def finditer(self, text: str, pos: int = 0, endpos: int = _END) -> Iterator[re.Match[str]]:
        if not self.may_match(text):
            return iter(())
        if self._plain(text):
            return self.pattern.finditer(text, pos, endpos)
        return self._scan(text, pos, endpos)

    def search(self, text: str, pos: int = 0, endpos: int = _END) -> re.Match[str] | None:
        if not self.may_match(text):
            return None
        if self._plain(text):
            return self.pattern.search(text, pos, endpos)
        return next(self._scan(text, pos, endpos), None)

    def _plain(self, text: str) -> bool:
        """Whether `re` scans the text itself: no way to find where the pattern can start."""
        if self.openings is not None:
            return _lowered(text) is None
        return self.rest is None and not self.digits

    def _scan(self, text: str, pos: int, endpos: int) -> Iterator[re.Match[str]]:
        """`finditer`, the pattern matched where it can start, which is found at C speed. The
        pattern never matches empty."""
        match = self.pattern.match
        if self.digits:
            runs = _digit_runs(text)
            for start in runs[bisect_left(runs, pos) :]:
                if start >= endpos:
                    return
                if start >= pos and (found := match(text, start, endpos)) is not None:
                    yield found
                    pos = found.end()
            return
        if self.rest is None:  # the same length and offsets: `_lowered` keeps only such texts
            find, text_searched = self.openings.search, _lowered(text)
        else:
            find, text_searched = self.rest.search, text
        while (candidate := find(text_searched, pos, endpos)) is not None:
            found = match(text, candidate.start(), endpos)
            if found is None:
                pos = candidate.start() + 1
            else:
                yield found
                pos = found.end()


def _openings(items) -> frozenset[str] | None:
    """Lower-case ASCII strings one of which every match of a sequence opens with (after its
    look-arounds): the items it opens with, while they spell a few exact strings, and what
    opens the first item that does not, if it is a group or an alternation."""
    openings = frozenset({""})
    for item in items:
        if item[0] in _ASSERTIONS:
            continue  # it consumes nothing
        spelled = _spelled(item)
        if spelled is None:
            spelled = _inner_openings(item)
            if spelled is not None and len(openings) * len(spelled) <= _MOST_SPELLINGS:
                openings = frozenset(a + b for a in openings for b in spelled)
            break
        if len(openings) * len(spelled) > _MOST_SPELLINGS:
            break
        openings = frozenset(a + b for a in openings for b in spelled)
    return None if "" in openings else openings


def _inner_openings(item) -> frozenset[str] | None:
    code, value = item
    if code is _codes.SUBPATTERN:
        return _openings(value[-1])
    if code is _codes.BRANCH:
        return _union(value[1], _openings, _MOST_SPELLINGS)
    if code in _REPEATS and value[0] >= 1:
        return _openings(value[2])
    return None


def without_leading_assertions(pattern: re.Pattern[str], tree=None) -> re.Pattern[str] | None:
    """The pattern (parsed as `tree`, if given) without the look-arounds and `\b` it opens
    with, when that rest opens with characters (a literal, a set, or alternatives that each
    do), so that `re` finds its matches by their first characters, which it cannot do behind
    an assertion; else None. Only for patterns that respect case (`re` then skips to a first
    character) and that never match empty. The rest is cut from the pattern's text and
    checked against its parse tree."""
    if pattern.flags & re.IGNORECASE:
        return None
    source = pattern.pattern
    try:
        cut, count = _after_leading_assertions(source)
        whole = tree or _parsed(pattern)
        if not count or any(code not in _ASSERTIONS for code, _ in whole.data[:count]):
            return None
        if not _opens_with_characters(whole.data[count:]) or whole.getwidth()[0] == 0:
            return None
        rest = re.compile(source[cut:], pattern.flags)
    except re.error:
        return None
    tree = _parsed(rest).data
    if repr(tree) != repr(whole.data[count:]) or not _opens_with_characters(tree):
        return None
    return rest


_ASSERTIONS = (_codes.AT, _codes.ASSERT, _codes.ASSERT_NOT)


def _after_leading_assertions(source: str) -> tuple[int, int]:
    """Where a pattern's text goes on after the look-arounds and `\\b` it opens with, and how
    many there are."""
    cut = count = 0
    while True:
        if source.startswith("\\b", cut):
            cut += 2
        elif source.startswith(("(?<=", "(?<!", "(?=", "(?!"), cut):
            cut = _group_end(source, cut) + 1
        else:
            return cut, count
        count += 1


def _opening_items(pattern: re.Pattern[str]) -> list:
    """The parsed items a pattern opens with: its leading look-arounds and the group after
    them, parsed alone when that group can be cut from the pattern's text (parsing casex's
    356 units takes 6 ms), else all the pattern's items; none when no negative look-behind
    opens it (it then opens no run of digits, and the pattern is parsed once, later)."""
    source = pattern.pattern
    try:
        cut, _ = _after_leading_assertions(source)
        if "(?<!" not in source[:cut]:
            return []
        if source.startswith(("(?:", "(?P<"), cut) or (
            source.startswith("(", cut) and not source.startswith("(?", cut)
        ):
            end = _group_end(source, cut) + 1
            if not source.startswith(("?", "*", "+", "{"), end):
                return _parse(source[:end], pattern.flags).data
    except re.error:
        pass
    return _parsed(pattern).data


def _group_end(source: str, start: int) -> int:
    """The index of the `)` that closes the group opened at `start`."""
    depth, at = 0, start
    while at < len(source):
        char = source[at]
        if char == "\\":
            at += 2
            continue
        if char == "[":  # a set: `]` right after `[` or `[^` is a member
            at += 2 if source.startswith("[^", at) else 1
            at += 1 if source.startswith("]", at) else 0
            while at < len(source) and source[at] != "]":
                at += 2 if source[at] == "\\" else 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if not depth:
                return at
        at += 1
    raise re.error("unbalanced parenthesis", source, start)


def _opens_with_characters(items) -> bool:
    if not items:
        return False
    code, value = items[0]
    if code in (_codes.LITERAL, _codes.IN):
        return True
    if code is _codes.SUBPATTERN:
        return not value[1] and not value[2] and _opens_with_characters(value[-1])
    if code is _codes.BRANCH:
        return all(_opens_with_characters(branch) for branch in value[1])
    return False


def _opens_a_digit_run(items) -> bool:
    """Whether a sequence opens with look-arounds, one of which looks behind for no digit
    (a set holding `\\d` or `\\w`), and then with a digit."""
    guarded = False
    for index, (code, value) in enumerate(items):
        if code not in _ASSERTIONS:
            return guarded and _opens_with_digit(items[index:])
        if code is _codes.ASSERT_NOT and value[0] < 0 and len(value[1]) == 1:
            guarded = guarded or _holds_every_digit(*value[1][0])
    return False


def _holds_every_digit(code, value) -> bool:
    if code is not _codes.IN or value[0][0] is _codes.NEGATE:
        return False
    digit_classes = (_codes.CATEGORY_DIGIT, _codes.CATEGORY_WORD)
    return any(member is _codes.CATEGORY and detail in digit_classes for member, detail in value)


def _opens_with_digit(items) -> bool:
    """Whether every match of a sequence opens with a digit (after look-arounds)."""
    items = [item for item in items if item[0] not in _ASSERTIONS]
    if not items:
        return False
    code, value = items[0]
    if code is _codes.IN:
        return all(
            (member is _codes.CATEGORY and detail is _codes.CATEGORY_DIGIT)
            or (member is _codes.LITERAL and chr(detail).isdecimal())
            or (member is _codes.RANGE and _decimal(range(detail[0], detail[1] + 1)))
            for member, detail in value
        )
    if code is _codes.LITERAL:
        return chr(value).isdecimal()
    if code is _codes.SUBPATTERN:
        return _opens_with_digit(value[-1])
    if code is _codes.BRANCH:
        return all(_opens_with_digit(branch) for branch in value[1])
    if code in _REPEATS:
        return value[0] >= 1 and _opens_with_digit(value[2])
    return False


def _decimal(codes: range) -> bool:
    """Whether every character of a range is a digit that `\\d` matches."""
    return len(codes) <= 10 and all(chr(code).isdecimal() for code in codes)


def gated(pattern: str | re.Pattern[str], flags: int = 0) -> GatedPattern:
    """`pattern` (compiled with `flags` if given as a string) with its scans gated."""
    return GatedPattern(re.compile(pattern, flags) if isinstance(pattern, str) else pattern)


_DIGIT_RUN = re.compile(r"\d(?<!\d\d)")  # a digit after none (faster to find than `\d+`)
_last_runs: tuple[str | None, list[int]] = (None, [])  # the last text read, its digit runs


def _digit_runs(text: str) -> list[int]:
    """Where each run of digits of `text` starts (kept for the next call on the same text)."""
    global _last_runs
    last = _last_runs
    if last[0] is not text:
        last = _last_runs = (text, [run.start() for run in _DIGIT_RUN.finditer(text)])
    return last[1]


_last: tuple[str | None, str | None] = (None, None)  # the last text lowered, its lower case


def _lowered(text: str) -> str | None:
    """`text` in lower case (kept for the next call on the same text), or None when it holds a
    character whose case-insensitive match `str.lower` does not reproduce."""
    global _last
    last = _last  # one read and one write: safe when threads share the module
    if last[0] is not text:
        odd = not text.isascii() and any(char in text for char in _ODD_FOLDS)
        last = _last = (text, None if odd else text.lower())
    return last[1]
