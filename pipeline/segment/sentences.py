"""A fast rule-based sentence splitter for clinical and journal text."""

from spacy.language import Language
from spacy.tokens import Doc

# Tokens after which a full stop does not end a sentence.
NON_FINAL = {
    "fig",
    "figs",
    "al",
    "e.g",
    "i.e",
    "vs",
    "dr",
    "approx",
    "no",
    "ref",
    "refs",
    "ca",
    "cf",
    "st",
    "mr",
    "mrs",
    "ms",
    "prof",
    "pt",
    "pts",
    "tab",
    "suppl",
    "vol",
}
TERMINALS = {".", "?", "!"}


@Language.factory("casex_sentences", default_config={"non_final": sorted(NON_FINAL)})
def create_sentence_splitter(nlp: Language, name: str, non_final: list[str]):
    return SentenceSplitter(set(non_final))


class SentenceSplitter:
    """Line breaks end sentences; so do `.`, `?`, `!` before a capital, digit or bracket."""

    def __init__(self, non_final: set[str]) -> None:
        self.non_final = non_final

    def __call__(self, doc: Doc) -> Doc:
        starts = sentence_starts([t.text for t in doc], self.non_final)
        for token, is_start in zip(doc, starts):
            token.is_sent_start = is_start
        return doc


def sentence_starts(words: list[str], non_final: set[str]) -> list[bool]:
    """For each token, whether it starts a sentence."""
    starts = [False] * len(words)
    boundary = True
    for i, word in enumerate(words):
        if word.isspace():
            boundary = boundary or "\n" in word
            continue
        if boundary:
            starts[i] = True
            boundary = False
        if word in TERMINALS:
            previous = words[i - 1].lower().rstrip(".") if i else ""
            following = _next_word(words, i + 1)
            boundary = previous not in non_final and (
                not following
                or following[0].isupper()
                or following[0].isdigit()
                or following[0] in "([•"
            )
    if starts:
        starts[0] = True
    return starts


def _next_word(words: list[str], start: int) -> str:
    """The first token from `start` on that is not whitespace, or ''."""
    for word in words[start : start + 3]:
        if not word.isspace():
            return word
    return ""
