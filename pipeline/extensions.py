"""The one table of casex's Doc and Span extensions; `register()` is idempotent."""

from __future__ import annotations

from spacy.attrs import LOWER
from spacy.tokens import Doc, Span

DOC_EXTENSIONS: dict[str, object] = {
    # [{"title", "category", "start", "end", "skipped"}], character offsets
    "casex_sections": None,
    # [(start_char, end_char, case_id)] for text about one patient
    "casex_case_ranges": None,
    # [{"case_id", "age", "sex", "diagnosis"}]
    "casex_cases": None,
    # [{"type", "head", "tail"}] with indices into doc.ents
    "casex_relations": None,
    # the plain-data result of the pipeline (see record.py)
    "casex_extraction": None,
}
SPAN_EXTENSIONS: dict[str, object] = {
    "normalized": None,
    "case_id": None,
    "casex_section": None,
}


_TEXT_KEY = "casex_text"


def doc_text(doc: Doc) -> str:
    """The Doc's text, built once: spaCy's `doc.text` joins every token on each access."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def keep_text(doc: Doc, text: str) -> Doc:
    """Remember the text a tokenizer made `doc` from (spaCy's `doc.text` is that string)."""
    doc.user_data[_TEXT_KEY] = text
    return doc


_SENTENCES_KEY = "casex_sentence_offsets"


def sentence_offsets(doc: Doc) -> list[tuple[int, int]]:
    """(start_char, end_char) of each sentence, read once: `doc.sents` makes a Token for
    every word on each pass. Only the sentence splitter sets the boundaries, before any
    reader."""
    found = doc.user_data.get(_SENTENCES_KEY)
    if found is None:
        found = doc.user_data[_SENTENCES_KEY] = [(s.start_char, s.end_char) for s in doc.sents]
    return found


_WORDS_KEY = "casex_word_positions"


def word_positions(doc: Doc) -> tuple[list[int], dict[int, list[int]]]:
    """The LOWER id of each token, and the positions of each id, read once for every phrase
    look-up of the Doc."""
    found = doc.user_data.get(_WORDS_KEY)
    if found is None:
        lowers = doc.to_array(LOWER).tolist()
        positions: dict[int, list[int]] = {}
        for position, word in enumerate(lowers):
            positions.setdefault(word, []).append(position)
        found = doc.user_data[_WORDS_KEY] = (lowers, positions)
    return found


def register() -> None:
    """Register every casex extension once."""
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name, default in SPAN_EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
