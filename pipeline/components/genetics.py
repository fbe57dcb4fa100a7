"""Component: GENETICS mentions from a grammar of cytogenetic and molecular findings.

- karyotypes in ISCN (`46,XY,t(9;22)(q34;q11.2)[20]`), `normal karyotype` (named by the
  patient's sex: `46,xx`), `complex karyotype`, ploidy words;
- structural changes (`t(9;22)(q34;q11)`, `inv(16)`, `del(17p)`, `17p deletion`, `trisomy 8`)
  and the Philadelphia chromosome (`Ph+`, `Philadelphia (Ph) negative`);
- fusions of two gene symbols (`BCR-ABL1 (p190)`, `PML-RARA bcr3 transcript`, `EML4::ALK`);
- a gene symbol with a genetic word or change beside it (`NPM1-mutated`, `FLT3-ITD`,
  `BRAF V600E`, `EGFR exon 19 deletion`, `HER2 amplification`, `MYC rearrangement`,
  `KRAS wild-type`), also across a list (`mutations in ASXL1, RUNX1 and TP53`), and a change
  that names its gene alone (`T315I`).

A symbol alone, or one named as a drug target (`JAK2 inhibitor`, `PD-L1 expression`), is not
a finding; nor is a marker measured (`BCR-ABL1 was 8.7%`, `PML-RARA was undetectable`: a lab
value or MRD), nor, outside a case, a finding said of patients or tumours in general.
The status is the adjacent word (`-positive`, `wild-type`, `negative`), else
negative after a negating word of the clause (`no TP53 mutation`, `negative for BCR-ABL`),
else positive; karyotypes have none. Gene symbols are HPO's (normalizers/hpo.py) and
patterns/vocab/genetics.json's.
"""

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from casex.cache import cached
from casex.components.spans import add_candidate, load_json
from casex.extensions import doc_text, register, sentence_offsets
from casex.gated_regex import gated
from casex.normalizers.alternation import trie_alternation
from casex.normalizers.hpo import gene_symbols, hpo_version
from casex.segment.cases import CaseIndex
from casex.version import pipeline_version

_STATUS_AFTER = (
    r"(?P<status>[\s-]*(?:\(\s*[+−-]\s*\)|(?:positive|negative|wild[- ]?type|unmutated|"
    r"non-mutated)\b|\+(?![\w+])|[−-](?=[\s,;.)]|$)))?"
)
_TARGET_AFTER = re.compile(
    r"[\s-]*(?:inhibit\w*|directed|targeted|targeting|antibod\w*|blockers?|antagonists?|"
    r"agonists?|expression|protein|staining|immunostain\w*|immunohistochem\w*|IHC|CAR\b|"
    r"ligand|receptor\s+antagonist)",
    re.I,
)
# a marker followed by its amount or its detection is a measurement (a LAB_VALUE or MRD):
# `BCR-ABL1 was 8.7%`, `BCR-ABL/ABL ratio`, `PML-RARA was undetectable by RT-qPCR`
_MEASURED_AFTER = re.compile(
    r"(?:\s*/\s*[A-Z]{3,}\d?)?(?:\s*\(IS\))?\s*(?:ratio|transcripts?\s+levels?|levels?|copies|"
    r"(?:was|were|is|became|remained)?\s*(?:still\s+)?(?:undetectable|detectable|[<>≤≥]?\s*\d))",
    re.I,
)
# a finding said of tumours or patients in general (`HER2-amplified tumours`) is not the
# patient's, outside a case
_POPULATION = re.compile(
    r"\b(?:patients|cases|tumou?rs|cancers|subsets?|cohorts?|populations?)\b", re.I
)
_CLAUSE_BREAK = re.compile(r"[.;:]|\bbut\b|\bwhereas\b|\bwhile\b|\bhowever\b|\bbecause\b", re.I)
_PLAIN = r"[A-Za-z][A-Za-z0-9α-ω]*"
_WORD = _PLAIN + r"(?:[-/][A-Za-z0-9]+)?"
_JOINS = ("and", "or")
_WORD_RE = re.compile(r"(?<![\w/-])" + _WORD)
# a word that may hold a gene symbol: every symbol has a capital or a digit, but `c-kit`
_SYMBOL_WORD_RE = re.compile(r"(?<![\w/-])(?=[A-Za-z0-9α-ω/-]*[A-Z0-9]|c-kit)" + _WORD)
_WORD_CHAR = re.compile(r"\w")
_JOINED = re.compile(r"[-/]")


class _GeneMatch:
    """A match of a rule that opens with a gene symbol: the symbol, then the rule's pattern
    matched right after it; read as the `re.Match` of the two together."""

    def __init__(self, text: str, start: int, symbol: str, rest: re.Match) -> None:
        self.text, self._start, self.symbol, self.rest = text, start, symbol, rest

    def groupdict(self) -> dict:
        return {"gene": self.symbol, **self.rest.groupdict()}

    def start(self, group: int | str = 0) -> int:
        return self._start if group in (0, "gene") else self.rest.start(group)

    def end(self, group: int | str = 0) -> int:
        return self._start + len(self.symbol) if group == "gene" else self.rest.end(group)

    def __getitem__(self, group: int) -> str:
        return self.text[self.start() : self.end()] if group == 0 else self.groupdict()[group]


# rules whose pattern opens with a gene symbol
_GENE_FIRST = {
    "fusion",
    "itd",
    "change",
    "exon",
    "mutation",
    "copy_number",
    "rearrangement",
    "fusion1",
    "wildtype",
    "copula",
}
_ARM = r"\d{1,2}[pq](?:\d+(?:\.\d+)?)?"


@dataclass
class Finding:
    start: int
    end: int
    kind: str
    name: str
    status: str | None


@Language.factory("casex_genetics", default_config={"rules": "vocab/genetics.json"})
def create_genetics(nlp: Language, name: str, rules: str):
    words = load_json(rules)
    symbols = cached("genes", f"{pipeline_version()} {hpo_version()}", gene_symbols)
    return GeneticsFinder(GeneticsGrammar(words, symbols))


class GeneticsFinder:
    def __init__(self, grammar: "GeneticsGrammar") -> None:
        register()
        self.grammar = grammar

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        sexes = {case["case_id"]: case["sex"] for case in doc._.casex_cases or []}
        ranges = doc._.casex_case_ranges or []
        cases = CaseIndex(ranges)
        sentences = sentence_offsets(doc)
        for finding in self.grammar.find(text):
            if finding.kind in ("fusion", "mutation") and _MEASURED_AFTER.match(text, finding.end):
                continue
            if cases.at(finding.start) is None:
                sentence = next((text[s:e] for s, e in sentences if s <= finding.start < e), "")
                if _POPULATION.search(sentence):
                    continue
            if finding.name == "normal karyotype":
                sex = _sex_at(cases, sexes, finding.start)
                finding.name = {"male": "46,xy", "female": "46,xx"}.get(sex, finding.name)
            add_candidate(
                doc,
                finding.start,
                finding.end,
                "GENETICS",
                {"kind": finding.kind, "name": finding.name, "status": finding.status},
            )
        return doc


def _sex_at(cases: CaseIndex, sexes: dict, position: int) -> str | None:
    """The sex of the case at `position`, else the one sex the report's cases have."""
    if (case := cases.at(position)) is not None:
        return sexes.get(case)
    known = {sex for sex in sexes.values() if sex}
    return known.pop() if len(known) == 1 else None


class GeneticsGrammar:
    """Compiled grammar over gene symbols and patterns/vocab/genetics.json's words."""

    def __init__(self, words: dict, symbols: set[str]) -> None:
        self.aliases = words["aliases"]
        self.hotspots = words["hotspots"]
        self.bands = words["bands"]
        self.philadelphia = words["philadelphia"]
        genes = (set(symbols) | set(words["genes"]) | set(self.aliases)) - set(words["not_genes"])
        self.genes = {g for g in genes if len(g) > 1 and not re.match(r"CD\d|HLA-[A-Z]$", g)}
        mutation = trie_alternation(words["mutation_words"])
        copy = trie_alternation(words["copy_number_words"])
        fusion_word = trie_alternation(words["fusion_words"])
        # a word that may be a gene symbol; whether it is one is a set look-up (`_symbol`),
        # not an alternation of 5,000 symbols, which takes a second to compile
        gene = r"(?<![\w/-])(?P<gene>" + _PLAIN + r")"
        gene2 = r"(?P<gene2>" + _PLAIN + r")"
        joiner = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|\s*/\s*)"
        self.list_before = re.compile(r"(?:(?<![\w/-])" + _WORD + joiner + r")+$")
        self.list_after = re.compile(
            rf"\b(?:{mutation})\s+(?:in|of|involving|affecting)\s+(?:the\s+)?(?P<list>"
            + _WORD
            + r"(?:"
            + joiner
            + _WORD
            + r")*)"
        )
        change = (
            r"(?:p\.)?(?P<change>[A-Z](?:[a-z]{2})?\d{1,4}(?:[A-Z](?:[a-z]{2})?|fs\*?\d*|\*|del|dup)"
            r"|c\.\d+[ACGTdelinsup_>\d]+)(?![\w])"
        )
        exon = r"(?P<exon>exon\s\d{1,2}\s(?:deletion|insertion|skipping|mutation|duplication)s?)"
        gene_word = r"(?:\s+gene)?"
        self.patterns: list[tuple[str, re.Pattern]] = [
            (
                "fusion",
                re.compile(
                    r"\s*(?P<sep>-|::|/|–)\s*"
                    + gene2
                    + r"(?P<iso>\s*\((?:p\d{3}|[a-z]{1,3}\d{1,2}[a-z]?\d?)\)"
                    + r"|\s+(?:p\d{3}|bcr[1-3]|e\d{1,2}a\d)\b)?"
                    + rf"(?P<word>[\s-]+(?:{fusion_word})\b)?"
                    + _STATUS_AFTER
                ),
            ),
            (
                "itd",
                re.compile(
                    r"[\s-](?P<qual>ITD|TKD)(?![\w])"
                    + rf"(?P<word>\s+(?:{mutation}))?"
                    + _STATUS_AFTER
                ),
            ),
            (
                "change",
                re.compile(r"\s+" + change + rf"(?P<word>\s+(?:{mutation}))?" + _STATUS_AFTER),
            ),
            ("exon", re.compile(r"\s+" + exon + _STATUS_AFTER)),
            (
                "mutation",
                re.compile(gene_word + rf"[\s-](?P<word>{mutation})\b" + _STATUS_AFTER),
            ),
            (
                "copy_number",
                re.compile(gene_word + rf"[\s-](?P<word>{copy})\b" + _STATUS_AFTER),
            ),
            (
                "rearrangement",
                re.compile(
                    gene_word
                    + r"[\s-](?P<word>rearrangements?|rearranged|translocation|translocated)\b"
                    + _STATUS_AFTER
                ),
            ),
            (
                "fusion1",
                re.compile(
                    r"[\s-](?P<word>fusions?|fusion gene|fusion transcript)\b" + _STATUS_AFTER
                ),
            ),
            (
                "wildtype",
                re.compile(r"(?P<status>[\s-]+(?:wild[- ]?type|WT|unmutated|non-mutated))\b"),
            ),
            (
                "copula",
                re.compile(
                    r"(?=\s+(?:was|were|is|are)\s+(?:also\s+)?(?P<neg>not\s+)?"
                    r"(?P<word>mutated|wild[- ]type|unmutated|non-mutated|amplified|rearranged)\b)"
                ),
            ),
            ("mutated_before", re.compile(r"\b(?P<word>mutated|mutant)\s+" + gene)),
            ("wildtype_before", re.compile(r"\bwild[- ]?type\s+" + gene)),
            (
                "hotspot",
                re.compile(
                    r"(?<![\w-])(?P<change>"
                    + trie_alternation(sorted(self.hotspots))
                    + r")(?![\w])"
                    + rf"(?P<word>\s+(?:{mutation}))?"
                    + _STATUS_AFTER
                ),
            ),
            (
                "structural",
                re.compile(
                    r"(?<![\w(])(?P<op>t|inv|del|dup|der|ins|add|i)\((?P<chr>[\dXY]{1,2}(?:;[\dXY]{1,2})*)"
                    r"(?P<arm>[pq][\d.]*)?\)(?P<bands>\((?:[pq][\d.]+;?)+\))?" + _STATUS_AFTER
                ),
            ),
            (
                "arm",
                re.compile(
                    rf"(?<![\w(])(?P<arm>{_ARM})\s?(?P<word>deletion|loss|gain|amplification)s?\b"
                ),
            ),
            (
                "arm_before",
                re.compile(
                    rf"\b(?P<word>deletion|loss|gain|amplification)\s+of\s+(?:chromosome\s+)?(?P<arm>{_ARM})(?![\w])"
                ),
            ),
            (
                "somy",
                re.compile(r"\b(?P<word>monosomy|trisomy|tetrasomy)\s+(?P<arm>\d{1,2}|X|Y)\b"),
            ),
            (
                "philadelphia",
                re.compile(
                    r"\b(?:Philadelphia(?:\s+chromosome)?(?:\s*\(Ph\+?\))?|Ph(?:\s+chromosome)?)(?!-like)"
                    r"(?P<status>[\s-]*(?:positive|negative)\b|\+|[−-](?=[\s,;.)]))?"
                ),
            ),
            (
                "karyotype",
                re.compile(
                    r"(?<![\w,.])(?P<count>[4-9]\d|1\d\d)(?:~\d{2,3})?,\s?(?P<sex>XX|XY|X|XXY|XYY|XXX)"
                    r"(?:,[^\s,]*[^\s,.;)])*(?![\w,])"
                ),
            ),
            (
                "karyotype_word",
                re.compile(
                    r"\b(?P<word>(?:normal|complex)(?:\s+(?:male|female))?\s+karyotype|hyperdiploidy|hyperdiploid|hypodiploidy|hypodiploid|near-haploid)\b",
                    re.I,
                ),
            ),
            (
                "other",
                re.compile(
                    r"\b(?P<word>microsatellite instability(?:-high)?|MSI-H|MSI-high|dMMR"
                    r"|mismatch repair deficien(?:cy|t))\b"
                ),
            ),
        ]
        self.negative_before = re.compile(
            r"\b(?:" + "|".join(re.escape(w) for w in words["negative_before"]) + r")\b", re.I
        )
        # the rules scanned over the whole text; the others match after each gene symbol
        self.scans = [(rule, gated(p)) for rule, p in self.patterns if rule not in _GENE_FIRST]
        self.gene_first = [(rule, p) for rule, p in self.patterns if rule in _GENE_FIRST]

    def find(self, text: str) -> list[Finding]:
        found: list[Finding] = []
        matches = [
            (rule, match)
            for rule, pattern in self.scans
            for match in pattern.finditer(text)
            if not match.groupdict().get("gene") or self._symbol(match["gene"])
        ]
        # the rules that open with a gene symbol match what follows each symbol
        for start, symbol in self._symbols(text, 0, len(text)):
            end = start + len(symbol)
            for rule, pattern in self.gene_first:
                rest = pattern.match(text, end)
                if rest and (not rest.groupdict().get("gene2") or self._symbol(rest["gene2"])):
                    matches.append((rule, _GeneMatch(text, start, symbol, rest)))
        for rule, match in matches:
            finding = self._finding(rule, match, text)
            if finding is not None:
                found.append(finding)
        found += self._lists(text, found)
        return _longest_first(found)

    def _finding(self, rule: str, match: re.Match, text: str) -> Finding | None:
        groups = match.groupdict()
        gene = groups.get("gene")
        if (
            gene
            and rule not in ("wildtype_before", "mutated_before")
            and _TARGET_AFTER.match(
                text, match.end("gene2") if groups.get("gene2") else match.end("gene")
            )
        ):
            return None
        kind, name, status = "mutation", None, None
        if rule == "fusion":
            # `A-B`, `A::B` is a fusion; `A/B` or `A–B` only with a fusion word (`JAK1/JAK2`)
            if groups["gene2"] == gene or (groups["sep"] not in ("-", "::") and not groups["word"]):
                return None
            kind, name = "fusion", f"{self._canonical(gene)}-{self._canonical(groups['gene2'])}"
        elif rule == "itd":
            name = f"{self._canonical(gene)}-{groups['qual'].lower()}"
        elif rule == "change":
            name = f"{self._canonical(gene)} {groups['change'].lower()}"
        elif rule == "exon":
            name = f"{self._canonical(gene)} {groups['exon'].lower()}"
        elif rule in ("mutation", "mutated_before"):
            name = self._canonical(gene)
        elif rule in ("wildtype", "wildtype_before"):
            name, status = self._canonical(gene), "negative"
        elif rule == "copula":
            word = groups["word"]
            kind = {"amplified": "copy_number", "rearranged": "rearrangement"}.get(word, "mutation")
            name = self._canonical(gene)
            negative = groups["neg"] or re.match(r"wild|unmut|non-", word)
            status = "negative" if negative else "positive"
        elif rule == "copy_number":
            kind, name = "copy_number", self._canonical(gene)
        elif rule == "rearrangement":
            kind, name = "rearrangement", self._canonical(gene)
        elif rule == "fusion1":
            kind, name = "fusion", self._canonical(gene)
        elif rule == "hotspot":
            change = groups["change"]
            name = f"{self.hotspots[change].lower()} {change.lower()}"
        elif rule == "structural":
            kind, name = self._structural(groups)
        elif rule in ("arm", "arm_before"):
            word = groups["word"].lower()
            arm = re.sub(r"\.\d+$", "", groups["arm"])
            kind = "copy_number"
            name = f"del({arm})" if word in ("deletion", "loss") else f"gain({arm})"
        elif rule == "somy":
            kind, name = "copy_number", f"{groups['word'].lower()} {groups['arm']}"
        elif rule == "philadelphia":
            kind, name = "translocation", self.philadelphia
            if (
                not groups["status"]
                and "chromosome" not in match[0]
                and "Philadelphia" not in match[0]
            ):
                return None
        elif rule == "karyotype":
            kind = "karyotype"
            name = re.sub(r"\s|\[\d+\]", "", match[0]).lower()
        elif rule == "karyotype_word":
            kind = "karyotype"
            word = groups["word"].lower()
            name = (
                "normal karyotype"
                if word.startswith("normal")
                else re.sub(r"\s+(?:male|female)", "", word)
            )
        elif rule == "other":
            mismatch = groups["word"].lower().startswith(("mismatch", "dmmr"))
            kind = "other"
            name = "mismatch repair deficiency" if mismatch else "microsatellite instability"
        status = self._status(kind, groups.get("status"), status, text, match.start())
        return Finding(match.start(), match.end(), kind, name, status)

    def _structural(self, groups: dict) -> tuple[str, str]:
        op = groups["op"]
        core = f"{op}({groups['chr']}{groups['arm'] or ''})"
        bands = groups["bands"] or self.bands.get(core, "")
        name = core + re.sub(r"\.\d+", "", bands)
        kind = {"t": "translocation", "der": "translocation", "inv": "rearrangement"}.get(
            op, "copy_number"
        )
        if op in ("ins", "i", "add"):
            kind = "rearrangement"
        return kind, name

    def _symbol(self, word: str) -> bool:
        return word in self.genes

    def _symbols(self, text: str, start: int, end: int) -> list[tuple[int, str]]:
        """(start, symbol) of each gene symbol in text[start:end]: the whole word, else its
        part before a hyphen or slash (`BCR` of `BCR-ABL1`, `NPM1` of `NPM1-mutated`)."""
        found, genes = [], self.genes
        for word in _SYMBOL_WORD_RE.finditer(text, start, end):
            whole = word.group()
            joined = "-" in whole or "/" in whole
            if whole in genes and not (joined and _WORD_CHAR.match(text, word.end())):
                found.append((word.start(), whole))
            elif joined and (first := _JOINED.split(whole, maxsplit=1)[0]) in genes:
                found.append((word.start(), first))
        return found

    def _canonical(self, symbol: str) -> str:
        return self.aliases.get(symbol, symbol).lower()

    def _status(
        self, kind: str, written: str | None, given: str | None, text: str, start: int
    ) -> str | None:
        if written:
            word = written.strip(" -").lower()
            return "negative" if re.match(r"neg|wild|unmut|non-|\(?\s*[−-]", word) else "positive"
        if given:
            return given
        if kind == "karyotype":
            return None
        before = text[max(0, start - 30) : start]
        breaks = list(_CLAUSE_BREAK.finditer(before))
        if breaks:
            before = before[breaks[-1].end() :]
        return "negative" if self.negative_before.search(before) else "positive"

    def _lists(self, text: str, found: list[Finding]) -> list[Finding]:
        """Symbols listed before a finding's gene share its kind and status (`RAS and BRAF
        wild-type`, `ASXL1, RUNX1 and TP53 mutations`), and after `mutations in`."""
        listed = []
        for finding in found:
            if finding.kind not in ("mutation", "copy_number", "rearrangement", "fusion"):
                continue
            window_start = max(0, finding.start - 120)
            before = self.list_before.search(text, window_start, finding.start)
            if before is None:
                continue
            words = [
                w for w in _WORD_RE.findall(text, before.start(), before.end()) if w not in _JOINS
            ]
            symbols = [self._symbol(w) for w in words]
            run = len(words) - (symbols[::-1] + [False]).index(False)  # the symbols at its end
            for start, symbol in self._symbols(text, before.start(), before.end()):
                if symbol in words[run:]:
                    name = self._canonical(symbol)
                    end = start + len(symbol)
                    listed.append(Finding(start, end, finding.kind, name, finding.status))
        for match in self.list_after.finditer(text):
            status = self._status("mutation", None, None, text, match.start())
            for start, symbol in self._symbols(text, match.start("list"), match.end("list")):
                name = self._canonical(symbol)
                listed.append(Finding(start, start + len(symbol), "mutation", name, status))
        return listed


def _longest_first(found: list[Finding]) -> list[Finding]:
    """Non-overlapping findings, the longest first."""
    kept: list[Finding] = []
    for finding in sorted(found, key=lambda f: (-(f.end - f.start), f.start)):
        if all(finding.end <= k.start or finding.start >= k.end for k in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: f.start)
