"""Immunophenotype grammar: markers with their sign, status word, list and panel polarity.

Finds `CD19+`, `CD20-`, `CD31 (+)`, `CD22 slight positivity`, `CD22-positive`, `CD45dim`,
`positive for A, B and C but negative for D`, `loss of CD19`, bare markers in a signed panel
(`(TdT+, CD79a+, CD22+, CD19)`), and `CD3+/8+`. Markers named only as a drug target or a
cell type (`anti-CD22`, `CD19 CAR`, `CD8-mediated`, `CD4+ T cells`) are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from casex.normalizers.alternation import trie_alternation
from casex.normalizers.markers import canonical_marker

_ADVERB_SLOT = r"(?:(?P<adv>{adverbs})\s+)?"
# markers of one list: a semicolon starts another statement (`...; CD2 was dim`)
_SEPARATOR = re.compile(r"^\s*(?:,|/|,?\s*(?:and|or)\b)?\s*$")
# what a panel may hold between two markers: `PD-L1 protein, CK7, TTF-1 (Fig. 3) and napsin A`
_ASIDE = re.compile(
    r"\((?:fig(?:ure)?s?|supplementary|table)\.?[^)]*\)|\([A-Za-z][A-Za-z0-9-]{0,9}\)"
    # how it stained: `INSM1 (strong, diffuse nuclear), CD56 and TTF-1`
    r"|\((?:\s*(?:strong|strongly|weak|weakly|diffuse|diffusely|focal|focally|patchy|moderate"
    r"|intense|partial|heterogeneous|scattered|nuclear|membranous|cytoplasmic|and|,))+\s*\)"
    r"|\b(?:proteins?|expression|staining|immunostaining|antigens?|cytoplasmic|surface|nuclear"
    r"|membranous|intracellular)\b",
    re.I,
)
_HORMONE_PANEL = {"ER", "HER2", "AR"}


@dataclass
class Phenotype:
    start: int
    end: int
    marker: str
    expression: str | None  # None until a list or panel gives it
    intensity: str | None
    signed: bool = False  # the status is written next to the marker
    word_status: bool = False  # that status is a word (positive), not a sign


class MarkerGrammar:
    """Compiled marker grammar over one vocabulary (patterns/vocab/markers.json)."""

    def __init__(self, vocab: dict) -> None:
        self.intensity_words: dict[str, str | None] = vocab["intensity_words"]
        self.sign_intensity: dict[str, str | None] = vocab["sign_intensity"]
        self.forms = {
            form: entry["canonical"] for entry in vocab["markers"] for form in entry["forms"]
        }
        sensitive = [f for f in self.forms if not (f.islower() and len(f) >= 5)]
        insensitive = [f for f in self.forms if f.islower() and len(f) >= 5]
        alternatives = [r"CD\d{1,3}[a-z]?", trie_alternation(sensitive)]
        if insensitive:
            alternatives.append(f"(?i:{trie_alternation(insensitive)})")
        self.marker_re = re.compile(
            # `cCD79a`, `cyMPO`: a cytoplasmic prefix stays outside the span; after a hyphen
            # only where a signed marker ends (`CD20-cyCD3-`, not `anti-CD20`, `BCR-ABL`)
            rf"(?<![A-Za-z0-9/])(?<![A-Za-z]-)(?:c(?:yt?)?(?=[A-Z]))?(?P<m>{'|'.join(alternatives)})"
            r"(?P<glued>dim|bright)?"
            r"(?![A-Za-z0-9])"
        )
        adverbs = "|".join(sorted(map(re.escape, self.intensity_words), key=len, reverse=True))
        positive = _alternation(vocab["positive_words"])
        positive_after = _alternation(vocab["positive_after"])
        negative = _alternation(vocab["negative_words"])
        # a minus is a sign where no word goes on after it, or a marker does (`CD20−cyCD3−`)
        self.sign_re = re.compile(
            r"\s?\(\s?(?P<psign>\+{1,3}|\+/[-−–]|±|[-−–])\s?\)"
            r"|(?P<sign>\+{1,3}|\+/[-−–]|±|[-−–](?![A-Za-z0-9])|[-−–](?=(?:cy?)?[A-Z]{2,}))"
        )
        self.word_after_re = re.compile(
            rf"[\s-]{_ADVERB_SLOT.format(adverbs=adverbs)}"
            rf"(?:(?P<pos>positivity|positive|pos|bright|dim|partial|weak|{positive_after})"
            rf"|(?P<neg>negativity|negative|neg)"
            rf"|(?P<loss>(?:antigen\s+)?loss))\b",
            re.I,
        )
        self.copula_re = re.compile(
            r"\)?\s+(?:(?:expression|staining|immunostaining|immunoreactivity)\s+)?"
            r"(?:was|were|is|are)\s+(?:(?:also|both|all)\s+)?"
            rf"{_ADVERB_SLOT.format(adverbs=adverbs)}"
            rf"(?:(?P<pos>{_alternation(vocab['retained_words'])})"
            rf"|(?P<neg>{_alternation(vocab['lost_words'])}))\b",
            re.I,
        )
        # `dim CD45`, `dim surface kappa`
        self.intensity_before_re = re.compile(
            rf"(?:^|[\s(,;])(?P<adv>{adverbs})\s+"
            rf"(?:(?:{_alternation(vocab['location_words'])})\s+)?$",
            re.I,
        )
        self.abbreviation_re = re.compile(r"\s?\([A-Za-z][A-Za-z0-9-]{0,9}\)")
        self.before_re = re.compile(
            rf"{_ADVERB_SLOT.format(adverbs=adverbs)}(?:(?P<pos>{positive})|(?P<neg>{negative})"
            rf"|(?P<loss>{_alternation(vocab['loss_words'])}))\s+(?:(?:for|with|of)\s+)?"
            rf"(?:(?:{_alternation(vocab['location_words'])})\s+)?$",
            re.I,
        )
        self.not_after_re = re.compile(
            rf"^[\s-]*(?:{_alternation(vocab['not_a_phenotype_after'])})\b", re.I
        )
        self.not_before = tuple(vocab["not_a_phenotype_before"])
        self.test_words = set(vocab["test_words"])
        self.cd_tail_re = re.compile(
            r"/(?P<digits>\d{1,3}[a-z]?)(?P<sign>\+{1,3}|[-−–](?![A-Za-z0-9]))"
        )

    def find(self, text: str) -> list[Phenotype]:
        """Every immunophenotype mention of `text`, in order."""
        found = _outermost([p for p in self._markers(text) if p is not None])
        for run in self._runs(text, found):
            self._resolve_run(text, run)
            if not any(p.marker in _HORMONE_PANEL for p in run):
                # `PR` unsigned outside a hormone-receptor panel is a partial response
                for p in run:
                    if p.marker == "PgR" and not p.signed and text[p.start : p.end] == "PR":
                        p.expression = None
        return [p for p in found if p.expression is not None]

    def _markers(self, text: str):
        for match in self.marker_re.finditer(text):
            start = match.start("m")
            if text[max(0, start - 5) : start].lower().endswith(self.not_before):
                continue
            phenotype = Phenotype(
                start, match.end(), canonical_marker(match.group("m"), self.forms), None, None
            )
            if match.group("glued"):
                phenotype.expression = "positive"
                phenotype.intensity = self.intensity_words.get(match.group("glued").lower())
                phenotype.signed = True
            else:
                self._own_status(text, phenotype)
            if not phenotype.signed and self.not_after_re.match(text, phenotype.end):
                continue
            if (
                phenotype.signed
                and phenotype.expression == "positive"
                and self._is_cell_type(text, phenotype)
            ):
                continue
            yield phenotype
            if phenotype.signed and phenotype.marker.startswith("CD"):
                yield from self._cd_tail(text, phenotype)

    def _own_status(self, text: str, p: Phenotype) -> None:
        """The sign or status word written right after the marker (also after its bracketed
        abbreviation: `estrogen receptor (ER) (+)`), else an intensity word before it
        (`dim CD45`)."""
        sign = self.sign_re.match(text, p.end)
        abbreviation = self.abbreviation_re.match(text, p.end)
        if not sign and abbreviation:
            sign = self.sign_re.match(text, abbreviation.end())
        if abbreviation and not sign and self._names_marker(abbreviation.group(), p.marker):
            p.end = abbreviation.end()  # `myeloperoxidase (MPO)`: one mention over both names
        score = _SCORE.match(text, p.end)
        if score:  # `HER2 3+` (an IHC score; the score is no mention)
            p.expression, p.intensity, p.signed = "positive", "bright", True
            p.end = score.end()
            return
        if sign:
            written = sign.group("psign") or sign.group("sign")
            p.expression = "negative" if written[0] in "-−–" else "positive"
            p.intensity = self.sign_intensity.get(written.replace("−", "-").replace("–", "-"))
            p.end, p.signed = sign.end(), True
            return
        for pattern, moves_end in ((self.word_after_re, True), (self.copula_re, False)):
            # `oestrogen receptor (ER) positive`: the status word after the abbreviation
            word = pattern.match(text, p.end) or (
                abbreviation and pattern.match(text, abbreviation.end())
            )
            if word:
                p.expression = "positive" if word.group("pos") else "negative"
                adverb = word.group("adv")
                p.intensity = self.intensity_words.get(adverb.lower()) if adverb else None
                if word.group("pos") and word.group("pos").lower() in self.intensity_words:
                    p.intensity = self.intensity_words[word.group("pos").lower()]
                if moves_end:
                    p.end = word.end()
                p.signed = p.word_status = True
                return
        if _NO_BEFORE.search(text, max(0, p.start - 20), p.start) and _EXPRESSION_AFTER.match(
            text, p.end
        ):  # `no lambda expression`
            p.expression, p.signed = "negative", True
            return
        before = self.intensity_before_re.search(text, max(0, p.start - 30), p.start)
        if before and self.intensity_words.get(before.group("adv").lower()):
            p.expression, p.signed = "positive", True
            p.intensity = self.intensity_words[before.group("adv").lower()]

    def _names_marker(self, bracketed: str, marker: str) -> bool:
        """Whether `(MPO)` is another name of `marker`."""
        inner = bracketed.strip(" ()")
        return inner in self.forms and canonical_marker(inner, self.forms) == marker

    def _cd_tail(self, text: str, head: Phenotype):
        """`CD3+/8+`: the number after the slash is another CD marker with its own sign."""
        tail = self.cd_tail_re.match(text, head.end)
        if tail:
            sign = tail.group("sign")
            yield Phenotype(
                tail.start("digits"),
                tail.end(),
                canonical_marker("CD" + tail.group("digits"), self.forms),
                "negative" if sign[0] in "-−–" else "positive",
                self.sign_intensity.get(sign),
                True,
            )

    def _is_cell_type(self, text: str, p: Phenotype) -> bool:
        return bool(
            re.match(
                r"\s+(?:T|B|NK|stem|progenitor)[\s-](?:cells?|lymphocytes)|\s+cells/kg",
                text[p.end : p.end + 30],
            )
        )

    @staticmethod
    def _runs(text: str, found: list[Phenotype]) -> list[list[Phenotype]]:
        """Groups of markers separated only by commas, slashes, `and`/`or` or spaces, also
        across a figure reference, a bracketed abbreviation or `protein`."""
        runs: list[list[Phenotype]] = []
        for p in found:
            if runs and _separates(text[runs[-1][-1].end : p.start]):
                runs[-1].append(p)
            else:
                runs.append([p])
        return runs

    def _resolve_run(self, text: str, run: list[Phenotype]) -> None:
        """Give bare markers the polarity of the phrase before the list, or of their panel."""
        # `positive for cCD79a, ...`: the prefix of the first marker is no part of the phrase
        preceding = _CYTOPLASMIC_PREFIX.sub("", text[max(0, run[0].start - 60) : run[0].start])
        before = self.before_re.search(preceding)
        signed = [p for p in run if p.signed]
        stated_after = run[-1].word_status and signed == [run[-1]]
        if before and stated_after and (before.group("pos") or "").lower() in self.test_words:
            before = None  # `staining for MLH1 and PMS2 was lost`: the status after decides
        if before:
            expression = "positive" if before.group("pos") else "negative"
            adverb = before.group("adv")
            intensity = self.intensity_words.get(adverb.lower()) if adverb else None
            for p in run:
                if not p.signed:
                    p.expression, p.intensity = expression, intensity
            return
        if not signed:
            return
        if stated_after:
            for p in run[:-1]:
                p.expression, p.intensity = run[-1].expression, run[-1].intensity
            return
        previous: Phenotype | None = None
        for p in run:
            if p.signed:
                previous = p
            elif previous is not None:
                p.expression = previous.expression
            else:
                p.expression = signed[0].expression


def _separates(gap: str) -> bool:
    """Whether only separators stand between two markers, asides removed. An aside is a
    bracket without a `)` in it or a word, so a gap that holds, outside its brackets, another
    character than a separator's or a letter (or a letter's odd case-insensitive match, `ſ`)
    is no separator: the common case, tested with two fast scans instead of the asides' slow
    one (it tries `\b` at every character of what can be a long gap)."""
    if _NO_SEPARATOR.search(_BRACKETS.sub("", gap)):
        return False
    gap = _CYTOPLASMIC_PREFIX.sub("", _ASIDE.sub(" ", gap))  # `MPO, cyCD3`: span at `CD3`
    return bool(_SEPARATOR.match(gap))


_BRACKETS = re.compile(r"\([^)]*\)")
_NO_SEPARATOR = re.compile(r"[^\s,/A-Za-z\u0130\u0131\u017f\u212a]")
_CYTOPLASMIC_PREFIX = re.compile(r"(?<![A-Za-z])c(?:yt?)?$")
_SCORE = re.compile(r"\s?3\+(?!\+)")
_NO_BEFORE = re.compile(r"\b(?:no|absent)\s+(?:surface\s+|cytoplasmic\s+)?$", re.I)
_EXPRESSION_AFTER = re.compile(r"\s+(?:expression|staining|immunoreactivity)\b", re.I)


def _outermost(found: list[Phenotype]) -> list[Phenotype]:
    """Markers not inside another's span (`ER` of `estrogen receptor (ER) (+)`)."""
    kept: list[Phenotype] = []
    for p in sorted(found, key=lambda p: (p.start, -p.end)):
        if not kept or p.start >= kept[-1].end:
            kept.append(p)
    return kept


def _alternation(words: list[str]) -> str:
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)
    )
