"""Drug names: casex's list, drug-named-entity-recognition's lexicon, casex's abbreviation
table, and INN stems for agents no list names; each name with its generic name, DrugBank id
and MeSH descriptor id."""

from __future__ import annotations

import re
from typing import NamedTuple

# Second words of antibody-drug conjugates and modified proteins (`inotuzumab ozogamicin`).
_CONJUGATE = (
    r"ozogamicin|vedotin|mafodotin|emtansine|deruxtecan|govitecan|tesirine|pasudotox|"
    r"ravtansine|soravtansine|tiuxetan|alfa|beta|pegol"
)
SHORT_FORM = 4  # casex's names this short match only as written (MTX, ATRA)

_WORD = re.compile(r"(?<![\w-])[A-Za-z]{5,}(?![\w-])")


# a word that makes a distinct product of a drug (spec section 3: `liposomal doxorubicin`)
_PRODUCT = re.compile(r"\bliposomal\b", re.I)


class DrugName(NamedTuple):
    """One way a text names a drug."""

    form: str  # as listed
    name: str  # the generic name the mention gets
    brand: str | None  # the brand, when the form is one
    drugbank_id: str | None
    exact: bool  # matched only as written (abbreviations, short forms)


class DrugLexicon:
    """Every drug name casex knows, by lower-case form: casex's own list first (its forms and
    generic names override the library's), then the abbreviation table, then the library."""

    def __init__(
        self,
        entries: list[dict],
        stems: dict,
        abbreviations: dict[str, str],
        library: dict[str, tuple[str, str | None, bool]],
        inn: dict[str, str],
    ) -> None:
        # lower-case form -> DrugName as a plain tuple (a table of ~50,000 that loads fast)
        self._names: dict[str, tuple] = {}
        self.inn = inn  # the lexicon's (US) name -> the INN a mention gets (spec section 3)
        # generic name -> DrugBank id
        self.ids = {name: drugbank_id for name, drugbank_id, _ in library.values() if drugbank_id}
        for lexicon_name, international in inn.items():
            if lexicon_name in self.ids:
                self.ids.setdefault(international, self.ids[lexicon_name])
        self.mesh_ids: dict[str, str] = {}  # generic name -> MeSH descriptor id
        for entry in entries:
            generic = entry["name"].lower()
            forms = [(entry["name"], None)] + [(s, None) for s in entry.get("synonyms", [])]
            forms += [(b, b) for b in entry.get("brands", [])]
            drugbank_id = entry.get("drugbank_id") or self._id_of(generic, library)
            for form, brand in forms:
                exact = len(form) <= SHORT_FORM
                self._add(DrugName(form, generic, brand, drugbank_id, exact))
        for form, generic in abbreviations.items():
            self._add(DrugName(form, generic, None, self._id_of(generic, library), True))
        for variant, (name, drugbank_id, is_brand) in library.items():
            self._add(DrugName(variant, name, variant if is_brand else None, drugbank_id, False))
        self.stems = sorted(
            ((s["suffix"], s.get("min_length", len(s["suffix"]) + 4)) for s in stems["stems"]),
            key=lambda item: -len(item[0]),
        )
        self.not_drugs = {word.lower() for word in stems.get("exclude", [])}
        self.suffixes = tuple(suffix for suffix, _ in self.stems)
        self.conjugate_re = re.compile(rf"\s+(?:{_CONJUGATE})\b", re.I)

    def add_mesh(self, descriptors: dict[str, str], salts: set[str]) -> None:
        """MeSH ids by generic name: a heading that is the name, else the name with a salt
        word (`imatinib mesylate` is the descriptor of `imatinib`)."""
        for heading, descriptor in descriptors.items():
            words = heading.split()
            if len(words) > 1 and words[-1] in salts:
                self.mesh_ids.setdefault(" ".join(words[:-1]), descriptor)
        self.mesh_ids.update(descriptors)
        for lexicon_name, international in self.inn.items():
            if lexicon_name in self.mesh_ids:
                self.mesh_ids.setdefault(international, self.mesh_ids[lexicon_name])

    def _add(self, name: DrugName) -> None:
        name = name._replace(name=self.inn.get(name.name, name.name))
        self._names.setdefault(name.form.lower(), tuple(name))

    def forms(self) -> list[str]:
        """Every name as listed."""
        return [entry[0] for entry in self._names.values()]

    def name(self, form: str) -> DrugName | None:
        """The name a form is, by its lower case."""
        entry = self._names.get(form.lower())
        return DrugName(*entry) if entry else None

    def _id_of(self, generic: str, library: dict) -> str | None:
        if generic in self.ids:
            return self.ids[generic]
        known = library.get(generic)
        return known[1] if known else None

    def lookup(self, text: str) -> DrugName | None:
        """The name a text form is, by its lower case; exact forms only as written."""
        written = re.sub(r"\s+", " ", text.strip())
        found = self.name(written)
        if found is not None and found.exact and found.form != written:
            return None
        return found

    def normalize(self, text: str, name: str | None = None) -> dict:
        """The DRUG normalized fields; `name` overrides (an abbreviation the text defines)."""
        if name is None and (found := self.lookup(text)) is not None:
            brand = found.brand
            if brand is not None and brand.islower():  # the library lists brands in lower case
                brand = re.sub(r"\s+", " ", text.strip())
            drugbank_id = found.drugbank_id or self.ids.get(found.name)
            generic = found.name
            if _PRODUCT.search(text) or _PRODUCT.search(generic):  # its own product
                generic = "liposomal " + _PRODUCT.sub("", generic).strip()
            return self._fields(generic, brand, drugbank_id)
        generic = name if name is not None else re.sub(r"\s+", " ", text.strip()).lower()
        return self._fields(generic, None, self.ids.get(generic))

    def _fields(self, name: str, brand: str | None, drugbank_id: str | None) -> dict:
        mesh_id = self.mesh_ids.get(name)
        return {"name": name, "brand": brand, "drugbank_id": drugbank_id, "mesh_id": mesh_id}

    def stem_names(self, text: str) -> list[tuple[int, int]]:
        """Character spans of words with a drug-name stem that no list names (`xyzotinib`),
        with the second word of a conjugate (`loncastuximab tesirine`)."""
        spans = []
        for match in _WORD.finditer(text):
            word = match.group().lower()
            if word.endswith(self.suffixes) and self._is_stem_name(word):
                conjugate = self.conjugate_re.match(text, match.end())
                spans.append((match.start(), conjugate.end() if conjugate else match.end()))
        return spans

    def _is_stem_name(self, word: str) -> bool:
        if word in self.not_drugs or word in self._names:
            return False
        return any(word.endswith(suffix) and len(word) >= minimum for suffix, minimum in self.stems)
