"""Dose schedule grammar: frequency, treatment days and route from the words around a dose."""

from __future__ import annotations

import re

from casex.gated_regex import gated

_DAYS = re.compile(
    r"(?<![A-Za-z])(?:on\s+)?(?:days?|D|d)\s?(?P<list>\d{1,3}(?:\s?(?:[-–]|to)\s?\d{1,3})?"
    r"(?:\s?(?:,|and|&|\+|,\s?and)\s?\d{1,3}(?:\s?(?:[-–]|to)\s?\d{1,3})?)*)(?![\d.,]?\d)"
)
_START_DAY = re.compile(r"\b(?:from|starting|beginning|commencing|started)(?:\s+on)?\s+$", re.I)
_DAY_ITEM = re.compile(r"(\d{1,3})(?:\s?(?:[-–]|to)\s?(\d{1,3}))?")


class ScheduleGrammar:
    """Frequencies and routes from patterns/vocab/{schedules,routes}.json."""

    def __init__(self, schedules: dict, routes: dict) -> None:
        self.number_words: dict[str, int] = schedules["number_words"]
        self.frequencies = [
            (gated(entry["pattern"], re.I), entry["frequency"])
            for entry in schedules["frequencies"]
        ]
        self._known: dict[str, list[tuple[int, str]]] = {}
        self.route_of: dict[str, str] = {}
        sensitive, insensitive = [], []
        for entry in routes["routes"]:
            written = set(entry.get("case_sensitive", []))
            for form in written:
                self.route_of[form] = entry["route"]
                sensitive.append(form)
            for form in entry["forms"]:
                if form.lower() not in {w.lower() for w in written}:
                    self.route_of[form.lower()] = entry["route"]
                    insensitive.append(form)
        self.route_res = [
            re.compile(rf"(?<![A-Za-z])(?:{_alternation(forms)})(?![A-Za-z])", flags)
            for forms, flags in ((sensitive, 0), (insensitive, re.I))
        ]

    def frequency(self, text: str) -> str | None:
        """The frequency named first in `text`, e.g. `every 3 weeks`, or None."""
        found = self.frequencies_in(text)
        return found[0][1] if found else None

    def frequencies_in(self, text: str) -> list[tuple[int, str]]:
        """(position, frequency) of the frequencies named in `text`, in text order, none
        inside another (`three times daily` holds no `daily`); at one position the first
        listed pattern's. The doses of a sentence ask for it again: answers are kept."""
        known = self._known.get(text)
        if known is None:
            if len(self._known) > 2048:
                self._known.clear()
            known = self._known[text] = self._frequencies_in(text)
        return known

    def _frequencies_in(self, text: str) -> list[tuple[int, str]]:
        found: list[tuple[int, int, int, str]] = []  # start, pattern rank, end, frequency
        for rank, (pattern, frequency) in enumerate(self.frequencies):
            for match in pattern.finditer(text):
                number = next((g for g in match.groups() if g), None)
                named = frequency
                if "{n}" in frequency:
                    if number is None:
                        continue
                    n = self.number_words.get(number.lower()) or int(number)
                    if named == "every {n} hours" and n == 24:
                        named = "daily"
                    if named == "every {n} days" and n % 7 == 0:
                        named, n = "every {n} weeks", n // 7  # `every 21 days` is 3 weeks
                    named = "weekly" if named == "every {n} weeks" and n == 1 else named
                    named = "monthly" if named == "every {n} months" and n == 1 else named
                    named = named.format(n=n)
                found.append((match.start(), rank, match.end(), named))
        kept: list[tuple[int, str]] = []
        end = -1
        for start, _rank, stop, named in sorted(found):
            if start >= end:
                kept.append((start, named))
                end = stop
        return kept

    def route(
        self,
        sentence: str,
        dose: tuple[int, int],
        doses: list[tuple[int, int]],
        drugs: list[tuple[int, int]],
    ) -> str | None:
        """The route of the dose at `dose` among the `doses` of its sentence (offsets into
        `sentence`, as the `drugs`): a route word in the dose's own conjunct (`rituximab 375
        mg/m2 IV and ibrutinib 560 mg`: IV is rituximab's); the previous dose's when the dose
        opens its conjunct (the same drug's schedule goes on); a collective one (`both IV`,
        `all given intravenously`) for every dose; one before the dose with no other dose or
        drug between (`levetiracetam was given intravenously, first a 1500 mg load`); the
        nearest one when the dose is alone."""
        routes = [
            (
                match.start(),
                match.end(),
                self.route_of.get(match.group()) or self.route_of[match.group().lower()],
            )
            for pattern in self.route_res
            for match in pattern.finditer(sentence)
        ]
        if not routes:
            return None
        anchor = dose[0]
        nearest = min(routes, key=lambda r: min(abs(r[0] - anchor), abs(r[1] - anchor)))
        if len(doses) == 1:
            return nearest[2]
        conjunct = _conjunct(sentence, dose)
        own = [r for r in routes if conjunct[0] <= r[0] and r[1] <= conjunct[1]]
        if own:
            return min(own, key=lambda r: min(abs(r[0] - anchor), abs(r[1] - anchor)))[2]
        last = _list_end(sentence, dose, doses)
        if last != dose:  # `20 mg, 50 mg, 100 mg and 200 mg orally`: the list's route
            conjunct = _conjunct(sentence, last)
            listed = [r for r in routes if last[1] <= r[0] and r[1] <= conjunct[1]]
            if listed:
                return listed[0][2]
        earlier = [d for d in doses if d[1] <= dose[0]]
        opening_words = _CONNECTIVES.sub("", sentence[conjunct[0] : dose[0]])
        if earlier and not re.search(r"[A-Za-z]{3,}", opening_words):
            # `1,3 mg on day 1; 0,8 mg on day 8`: the same drug's schedule goes on
            return self.route(sentence, earlier[-1], doses, drugs)
        collective = [
            r
            for r in routes
            if _COLLECTIVE.search(sentence, 0, r[0])
            and r[0] >= dose[1]
            and ";" not in sentence[dose[1] : r[0]]
        ]  # `..., all IV`: the doses listed before it
        # `given orally: 20 mg once daily, then 50 mg ...`: a route that opens a list
        opening = [r for r in routes if r[1] <= dose[0] and _OPENS_LIST.match(sentence, r[1])]
        # the sentence's first dose takes a route before it when no other drug stands between
        # (the drug the route word qualifies, `Intravenous NAC (Acetadote) ... 150 mg/kg`, and
        # one in brackets do not count)
        preceding = [
            r
            for r in routes
            if not earlier
            and r[1] <= dose[0]
            and not any(
                r[1] <= d[0]
                and d[1] <= dose[0]
                and sentence[r[1] : d[0]].strip()
                and not in_brackets(sentence, d[0])
                for d in drugs
            )
        ]
        return (collective or opening[-1:] or preceding[-1:] or [(0, 0, None)])[0][2]


# what separates the conjuncts of a sentence that lists several doses
# (`was then infused`: an adverb, no break)
_CONJUNCT_BREAK = re.compile(
    r",(?!\d)\s*|;\s*|\s+(?:and|plus|with|followed by|(?<!was)(?<!were)(?<!is)(?<!are) then)\s+",
    re.I,
)
_BARE_LIST_GAP = re.compile(r"\s*(?:,|,?\s*and|,?\s*or|,?\s*then)\s*")
_CONNECTIVES = re.compile(r"\b(?:and|or|then|plus|followed by)\b", re.I)
_OPENS_LIST = re.compile(r"\s*:")
_COLLECTIVE = re.compile(r"\b(?:both|all|each)\s+(?:(?:were|was|given|administered)\s+)*$", re.I)


def _conjunct(sentence: str, span: tuple[int, int]) -> tuple[int, int]:
    """The stretch of `sentence` around `span` between two conjunct breaks."""
    start, end = 0, len(sentence)
    for match in _CONJUNCT_BREAK.finditer(sentence):
        if in_brackets(sentence, match.start()):  # `(NAC; Acetadote)`
            continue
        if match.end() <= span[0]:
            start = match.end()
        elif match.start() >= span[1]:
            end = match.start()
            break
    return start, end


def _list_end(
    sentence: str, dose: tuple[int, int], doses: list[tuple[int, int]]
) -> tuple[int, int]:
    """The last dose of the bare list of doses that `dose` opens or continues."""
    last = dose
    for following in sorted(d for d in doses if d[0] >= dose[1]):
        if not _BARE_LIST_GAP.fullmatch(sentence, last[1], following[0]):
            break
        last = following
    return last


def in_brackets(text: str, position: int, start: int = 0) -> bool:
    """Whether `position` stands inside a bracket opened after `start`."""
    before = text[start:position]
    return before.count("(") > before.count(")") or before.count("[") > before.count("]")


def _alternation(forms: list[str]) -> str:
    return "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))


# a schedule the doses of a list share, after the last: `..., all IV on days 1 and 15`,
# `... were both given on days 1, 8, 15 and 22`
_SHARED_DAYS = re.compile(
    r"(?:,\s*|\s(?:were|was)\s+)(?:all|both|each)(?:\s+[\w-]+){0,3}?\s+(?=(?:on\s+)?days?\s?\d)",
    re.I,
)


def shared_days(text: str) -> list[int] | None:
    """Days that a list of doses shares, from `text`, the rest of the sentence after one."""
    match = _SHARED_DAYS.search(text)
    return treatment_days(text[match.end() :]) if match else None


def treatment_days(text: str) -> list[int] | None:
    """Days named near the start of `text`: `on day 1`, `days 1, 8, 15`, `d1-14`, `days 1-3`,
    `was given by intravenous infusion on days 1 and 15`."""
    match = _DAYS.search(text)
    if not match or match.start() > 50 or _START_DAY.search(text, 0, match.start()):
        return None  # `from day 2`, `starting on day 1`: when dosing began, not its days
    days: list[int] = []
    for item in _DAY_ITEM.finditer(match.group("list")):
        first = int(item.group(1))
        last = int(item.group(2)) if item.group(2) else first
        days.extend(range(first, last + 1) if 0 < last - first < 60 else [first])
    return days or None


def frequency_of_days(days: list[int]) -> str | None:
    """One day is `once`, consecutive days `daily`, days a week apart `weekly`, two weeks
    apart `every 2 weeks` (days 1 and 15)."""
    if len(days) == 1:
        return "once"
    steps = {b - a for a, b in zip(days, days[1:])}
    if steps == {1}:
        return "daily"
    if len(steps) == 1 and min(steps) % 7 == 0:
        weeks = min(steps) // 7
        return "weekly" if weeks == 1 else f"every {weeks} weeks"
    if steps == {3, 4}:
        return "twice weekly"  # days 1, 4, 8, 11
    return None
