"""casex's faster stand-ins for library paths (and for its own slower ones) give what those
paths give."""

from pathlib import Path

from scispacy.abbreviation import AbbreviationDetector, filter_matches

from casex.components.abbreviations import bracketed, definitions
from casex.components.spans import TokenTrie
from casex.extensions import doc_text, sentence_offsets
from casex.segment.tokenizer import nlp_text

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "raw"
TEXT = (
    "She had acute myeloid leukemia (AML) and received all-trans retinoic acid (ATRA). "
    "AML relapsed; ATRA was given again.\nThe AML blasts (CD34+) fell, and ATRA  ATRA "
    "was stopped. Minimal residual disease (MRD) was negative; MRD stayed negative."
)


def _as_sets(found):
    return {
        (long.start, long.end): {(short.start, short.end) for short in shorts}
        for long, shorts in found
    }


def test_abbreviation_uses_are_those_scispacys_matcher_finds(nlp):
    doc = nlp.make_doc(TEXT)
    candidates = filter_matches(bracketed(doc), doc)
    ours = definitions(candidates, doc)
    theirs = AbbreviationDetector(nlp).find_matches_for(candidates, doc)
    assert _as_sets(ours) == _as_sets(theirs)
    # every later use is found, not only the definition
    uses = {doc[s:e].text: len(spans) for (s, e), spans in _as_sets(ours).items()}
    assert uses == {
        "acute myeloid leukemia": 3,
        "all-trans retinoic acid": 4,
        "Minimal residual disease": 2,
    }


def test_sentence_offsets_are_the_docs_sentences(nlp):
    doc = nlp(TEXT)
    assert sentence_offsets(doc) == [(s.start_char, s.end_char) for s in doc.sents]
    assert len(sentence_offsets(doc)) == 4


def test_the_text_the_tokenizer_keeps_is_the_docs_text(nlp):
    text = "Hb 7.3\u00a0g/dL; CD34\u207a blasts, CD19\u207b; 1\u2009mg"
    doc = nlp.make_doc(text)
    assert doc_text(doc) == doc.text == "Hb 7.3 g/dL; CD34+ blasts, CD19-; 1 mg"
    assert nlp_text(text) == doc.text


def test_token_trie_finds_every_phrase_at_every_start(nlp):
    trie = TokenTrie()
    trie.add("cr", ["complete", "remission"])
    trie.add("agent", ["agent"])  # a word spaCy stores as a fixed symbol id
    trie.add("long", ["complete", "remission", "with", "agent"])
    doc = nlp.make_doc("Complete remission with agent; complete remission.")
    assert trie(doc) == [("cr", 0, 2), ("long", 0, 4), ("agent", 3, 4), ("cr", 5, 7)]
    assert trie(nlp.make_doc("no phrase here")) == []


def test_section_headings_are_those_medspacys_matcher_finds(nlp):
    from casex.medspacy_parts import MedspacyMatcher

    text = (
        "Title line\nKeywords: leukemia; case report\n\nCase 1: A 54-year-old man with\n"
        "fever.\nFigure 2. Marrow.\nTable 1  Counts\nThe patient 3 did well; case 2 was "
        "seen.\nCase 2\nFigs. 3 and 4 show it.\n"
    )
    doc = nlp.make_doc(text)
    matcher = dict(nlp.pipeline)["casex_sections"].matcher
    assert matcher.first_words  # the section patterns qualify for the line-by-line run
    found = matcher(doc)
    assert found == MedspacyMatcher.__call__(matcher, doc)
    assert {doc[s:e].text.split()[0] for _, s, e in found} >= {"Case", "Figure", "Table"}


def test_the_section_matchers_windows_give_every_match_of_the_whole_doc(nlp, monkeypatch):
    """Unpruned, the matches over windows are those over the whole Doc: a `+` pattern's to
    each end of its line, several headings' words on one line."""
    from casex.medspacy_parts import MedspacyMatcher

    matcher = dict(nlp.pipeline)["casex_sections"].matcher
    monkeypatch.setattr(matcher, "_prune", False)
    texts = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt"))]
    texts.append(
        "Figure 1. Marrow with blasts, see Figure 2: and Case 3: as Fig. 4| shows a long line "
        "of words that goes on\nCase 5- x\nKey words: a, b\nfig 6 : end Figure 7."
    )
    for text in texts:
        doc = nlp.make_doc(text)
        ours, whole = matcher(doc), MedspacyMatcher.__call__(matcher, doc)
        assert sorted(ours) == sorted(whole)
        assert len(ours) == len(set(ours))
    assert any(e - s > matcher.reach for _, s, e in ours)  # extended to the line's end


def test_a_sections_end_is_its_spans_end_char(nlp):
    from casex.segment.sections import _end_char

    text = "Case presentation\n\nA man received rituximab. \nReferences"
    doc = nlp.make_doc(text)
    for start in range(len(doc) + 1):
        for stop in range(start, len(doc) + 1):
            assert _end_char(doc, text, start, stop) == doc[start:stop].end_char, (start, stop)


def test_a_gap_between_markers_separates_them_as_the_asides_scan_says():
    from casex.components.immunophenotype import (
        _ASIDE,
        _CYTOPLASMIC_PREFIX,
        _SEPARATOR,
        _separates,
    )

    def scanned(gap):
        return bool(_SEPARATOR.match(_CYTOPLASMIC_PREFIX.sub("", _ASIDE.sub(" ", gap))))

    gaps = [
        ", ",
        " and ",
        " (Fig. 3) and ",
        " protein, ",
        " proteinſ, ",
        " (strong, diffuse), ",
        ", cy",
        " (a (b) c) ",
        " (TTF-1) / ",
        " were negative; ",
        " (Figure 2; p < 0.05), ",
        "\n\n",
        " (strong) 3 ",
        " expression and staining or ",
    ]
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        gaps += [text[i : i + n] for i in range(0, len(text) - 40, 97) for n in (3, 12, 40)]
    assert sum(map(scanned, gaps)) >= 10
    for gap in gaps:
        assert _separates(gap) == scanned(gap), gap


def test_the_context_graph_meets_every_pair_of_intersecting_intervals():
    """The sweep gives, for each interval of one list, the intervals of the other that
    intersect it (closed), as comparing every pair does."""
    import random

    from casex.components.context_graph import _meeting

    generator = random.Random(3)

    def intervals():
        starts = [generator.randint(0, 40) for _ in range(generator.randint(0, 12))]
        return [(start, start + generator.randint(0, 6)) for start in starts]

    for _ in range(300):
        left, right = intervals(), intervals()
        every_pair = [[j for j, (c, d) in enumerate(right) if a <= d and c <= b] for a, b in left]
        assert _meeting(left, right) == every_pair


def test_bracketed_spans_are_those_a_bracket_by_bracket_reading_gives(nlp):
    """Each `(` paired with the next `)`: none when another `(` comes first, up to 8 tokens,
    cut at a separator after one token; the whole-array reading gives the same spans."""

    def one_by_one(doc):
        words = [token.text for token in doc]
        found = []
        for start, word in enumerate(words):
            if word != "(":
                continue
            end = next((i for i in range(start + 1, len(words)) if words[i] == ")"), None)
            if end is None:
                break
            if "(" in words[start + 1 : end]:
                continue
            inner = [i for i in range(start + 1, end) if words[i] in (";", ",")]
            if inner and inner[0] - start == 2:
                end = inner[0]
            if 0 < end - start - 1 <= 8:
                found.append((0, start + 1, end))
        return found

    texts = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt"))]
    texts.append("a (b (c) d) e (f; g) (h, i j) () (k l m n o p q r s) (t u ( v")
    for text in texts:
        doc = nlp.make_doc(text)
        assert bracketed(doc) == one_by_one(doc)
    assert bracketed(nlp.make_doc(texts[-1])) == [(0, 4, 5), (0, 10, 11), (0, 15, 16)]


def test_a_therapys_modifiers_are_those_the_plain_search_finds(nlp):
    """Before every word of the bundled reports (and some written to have modifiers), the
    checked search finds what the plain one does."""
    import re

    finder = dict(nlp.pipeline)["casex_therapies"]
    texts = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt"))]
    texts.append(
        "She had reduced-intensity conditioning, a second generation TKI, then "
        "non-myeloablative  allogeneic transplant and Reduced Intensity\nchemotherapy."
    )
    found = 0
    for text in texts:
        for word in re.finditer(r"\w+", text):
            start = word.start()
            plain = finder.modifiers.search(text, max(0, start - 80), start)
            checked = finder._modifiers_before(text, start)
            assert (plain and plain.span()) == (checked and checked.span()), (text[:30], start)
            found += plain is not None
    assert found >= 4


def test_a_line_matcher_of_one_token_and_open_ended_rules_gives_the_whole_docs_matches(nlp):
    from casex.medspacy_parts import MedspacyMatcher, SectionRule
    from casex.segment.sections import LineMatcher

    matcher = LineMatcher(nlp, name="test_sections")
    matcher.add(
        [
            SectionRule("summary", "summary", pattern=[{"LOWER": "summary"}]),
            SectionRule(
                "note x", "note", pattern=[{"LOWER": "note"}, {"IS_SPACE": False, "OP": "+"}]
            ),
        ]
    )
    assert matcher.first_words and matcher.reach == 2
    doc = nlp.make_doc("Summary\nA note on the case, and a note.\nSummary of the note here")
    assert matcher(doc) == MedspacyMatcher.__call__(matcher, doc)
    assert {doc[s:e].text for _, s, e in matcher(doc)} >= {
        "Summary",
        "note on the case, and a note.",
    }


def test_the_linear_context_graph_gives_medspacys_results(nlp, monkeypatch):
    """ConText with casex's graph (the pairs whose spans meet) and with medspaCy's (every
    pair), casex's clause rules in both: the same modifiers on the same mentions over every
    bundled report, the long article among them."""
    import medspacy.context.context as medspacy_context
    from medspacy.context import ConTextGraph

    from casex.components.context_graph import LinearContextGraph

    class EveryPair(LinearContextGraph):
        def update_scopes(self):
            ConTextGraph.update_scopes(self)
            self._end_at_clause()
            self._backward_from_clause()

        def apply_modifiers(self):
            ConTextGraph.apply_modifiers(self)

    before = nlp.pipe_names[: nlp.pipe_names.index("casex_context")]
    context = dict(nlp.pipeline)["casex_context"]

    def modified(text, graph):
        monkeypatch.setattr(medspacy_context, "ConTextGraph", graph)
        with nlp.select_pipes(enable=before):
            doc = context(nlp(text))
        edges = doc._.context_graph.edges
        return [
            (target.start, target.end, modifier.modifier_span, modifier.category)
            for target, modifier in edges
        ]

    compared = 0
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        linear = modified(text, LinearContextGraph)
        assert linear == modified(text, EveryPair), path.name
        compared += len(linear)
    assert compared > 100
