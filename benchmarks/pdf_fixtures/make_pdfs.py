#!/usr/bin/env python3
"""Typeset case-report texts as journal-style PDFs, each with a companion clean text.

For every input text (UTF-8, one paragraph per line, headings on their own lines, first
line the title; the shape of ``corpus/raw/*.txt``) and every layout this script writes

    <doc_id>.<layout>.tex   the LaTeX source (LuaLaTeX, TeX Gyre fonts)
    <doc_id>.<layout>.pdf   the typeset article (two LuaLaTeX runs, for "Page N of M")
    <doc_id>.<layout>.txt   the companion clean text: what a perfect reader recovers from the
                            PDF's content (title, abstract, keywords, headings, paragraphs,
                            figure and table captions, table rows, back matter), without the
                            page furniture (running heads, footers, page numbers, DOI lines,
                            journal name) or the front matter (authors, affiliations,
                            correspondence, article history, "CASE REPORT"/"Open Access")

Layouts (README.md beside this file has the details):

    bmc       two columns, running head "<First author> et al. <Journal> (2024) v:n" on every
              page, DOI line on page 1, footer "Page N of M", numbered sans-serif headings
              ("1 Background"), Keywords line, "Declarations" back matter
    elsevier  two columns, running title (the title, shortened) and page number on every
              page, journal banner, upper-case headings, correspondence footnote and
              DOI/copyright lines on page 1, floats placed "here" so that they land
              mid-column, CRediT / competing-interest / consent back matter
    onecol    one column, wide margins, run-in headings ("Case presentation. A 54-year-old
              ..."), Keywords line after the abstract, page numbers at the bottom

Each PDF gets a table float "Table 1 Laboratory values at presentation" whose rows are lab
values that the report's own case description states (same analyte, number and unit; the
unit in the row label, "(×10^9/L)" typeset as a superscript); a "Figure N." legend of the
input becomes a figure float (an empty framed box) with that caption. Exponents (×10^9/L,
× 10⁹/L, x10(9)/L, 10^-4), unit powers (mg/m2, /mm3) and marker signs (elsevier: CD34+ and
CD19− as superscripts, the minus a U+2212; onecol: only +) are real superscripts; µ, μ, β,
≥, ×, − are kept as they are. TeX hyphenation is left on.

The companion text keeps the input's lines and notation (×10^9/L, × 10⁹/L, mg/m2, CD34+,
CD19−), except x10(9), which is written ×10^9 as it is typeset; headings are plain lines in
the input's wording (not numbered, not capitalised, not run in), the figure keeps the
input's label line ("Figure 1.") before its caption, and the table is a caption line
followed by one line per row (header row first), cells separated by two spaces, placed
after the paragraph its values come from. Keywords and back matter are lines as well.

Run (needs lualatex and the TeX Gyre fonts, from Debian: texlive-luatex
texlive-latex-base texlive-latex-recommended texlive-latex-extra lmodern fonts-texgyre
fonts-texgyre-math; Python 3 standard library only):

    python3 benchmarks/pdf_fixtures/make_pdfs.py                 # corpus/raw/[12]*.txt, all layouts
    python3 benchmarks/pdf_fixtures/make_pdfs.py --layouts bmc,onecol --out /tmp/fx a.txt b.txt
    python3 benchmarks/pdf_fixtures/make_pdfs.py --no-pdf        # .tex and .txt only

The same input gives the same bytes: SOURCE_DATE_EPOCH and the PDF trailer /ID are fixed.
check_pdfs.py (run with the venv's python, it needs pypdfium2) checks the PDFs against the
companion texts.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
LAYOUTS = ("bmc", "elsevier", "onecol")
YEAR = 2024
SOURCE_DATE_EPOCH = "1717200000"  # 2024-06-01, fixed so that rebuilt PDFs are identical

JOURNALS = {
    "bmc": "Clinical Case Reports in Haematology",
    "elsevier": "Haematology & Oncology Case Reports",
    "onecol": "Journal of Case Reports in Clinical Oncology",
}
DOI_PREFIX = "10.5555"  # Crossref's test prefix: resolves to nothing real

# --------------------------------------------------------------------------------------
# Reading the input text
# --------------------------------------------------------------------------------------

ABSTRACT_SUBHEADS = [
    "background",
    "introduction",
    "objective",
    "objectives",
    "methods",
    "case presentation",
    "case presentations",
    "case report",
    "case reports",
    "case description",
    "results",
    "conclusion",
    "conclusions",
]
BACK_MATTER = {
    "abbreviations",
    "acknowledgements",
    "acknowledgments",
    "funding",
    "references",
    "declarations",
    "competing interests",
    "conflicts of interest",
    "consent",
    "authors' contributions",
    "availability of data and materials",
    "ethics approval",
    "crediT authorship contribution statement".lower(),
    "declaration of competing interest",
    "patient consent",
    "consent for publication",
    "ethics approval and consent to participate",
}
FIGURE_LABEL = re.compile(r"^(?:Figure|Fig\.)\s*(\d+)\.?$")


def is_heading(line: str) -> bool:
    if FIGURE_LABEL.match(line) or "\t" in line:  # a tab-separated table row is text
        return False
    if len(line) > 60 or line.endswith((".", ",", ";", ":")):
        return False
    if re.match(r"^\d+\.\s", line):
        return False
    return len(line.split()) <= 7 and line[:1].isupper()


@dataclass
class Block:
    kind: str  # heading | para | figure | refs | table
    text: str = ""
    label: str = ""  # figure label as in the input ("Figure 1.")
    items: list = field(default_factory=list)  # refs lines, or table rows
    section: str = ""  # heading under which the block stands


@dataclass
class Report:
    doc_id: str
    title: str
    abstract: list  # [(subheading or None, paragraph)]
    body: list  # [Block]


def parse_report(path: Path) -> Report:
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
    lines = [ln for ln in lines if ln]
    if not lines:
        raise ValueError(f"{path}: empty")
    title, rest = lines[0], lines[1:]
    abstract: list = []
    i = 0
    if rest and rest[0].lower() == "abstract":
        i = 1
        if i < len(rest) and is_heading(rest[i]) and rest[i].lower() in ABSTRACT_SUBHEADS:
            last = -1
            while i + 1 < len(rest) and is_heading(rest[i]):
                key = rest[i].lower()
                if key not in ABSTRACT_SUBHEADS or ABSTRACT_SUBHEADS.index(key) <= last:
                    break
                last = ABSTRACT_SUBHEADS.index(key)
                abstract.append((rest[i], rest[i + 1]))
                i += 2
        else:
            while i < len(rest) and not is_heading(rest[i]) and not FIGURE_LABEL.match(rest[i]):
                abstract.append((None, rest[i]))
                i += 1
    body: list = []
    section = ""
    while i < len(rest):
        ln = rest[i]
        m = FIGURE_LABEL.match(ln)
        if m and i + 1 < len(rest):
            body.append(Block("figure", text=rest[i + 1], label=ln, section=section))
            i += 2
            continue
        if is_heading(ln):
            section = ln
            body.append(Block("heading", text=ln, section=ln))
            if ln.lower() == "references":
                items = []
                i += 1
                while i < len(rest) and not is_heading(rest[i]):
                    items.append(rest[i])
                    i += 1
                body.append(Block("refs", items=items, section=ln))
                continue
        else:
            body.append(Block("para", text=ln, section=section))
        i += 1
    return Report(path.stem, title, abstract, body)


# --------------------------------------------------------------------------------------
# Table 1: lab values that the case description already states
# --------------------------------------------------------------------------------------

ANALYTES = [
    r"white blood cell count",
    r"white blood cells",
    r"WBC",
    r"leu[ck]ocytes?",
    r"neutrophils?",
    r"lymphocytes?",
    r"ha?emoglobin",
    r"(?:the )?platelet count",
    r"platelets?",
    r"lactate dehydrogenase",
    r"LDH",
    r"creatinine",
    r"albumin",
    r"calcium",
    r"fibrinogen",
    r"uric acid",
    r"sodium",
    r"potassium",
    r"bilirubin",
    r"ferritin",
    r"CEA",
    r"CA19-9",
    r"β2-microglobulin",
    r"NT-proBNP",
    r"(?:high-sensitivity )?troponin T",
    r"C-reactive protein",
    r"(?:serum )?M-protein",
    r"(?:(?:the )?(?:involved )?(?:kappa|lambda) )?free light chain",
    r"(?:kappa|lambda) FLC",
]
UNIT = (
    r"(?P<unit>\s?[×x]\s?10(?:\^9|\(9\)|⁹)\s?/[lL]"
    r"|/(?:μL|µL|mm3|mm³)"
    r"|\s(?:g/dL|g/L|mg/dL|mg/L|ng/mL|ng/L|pg/mL|U/L|U/mL|IU/L|µmol/L|μmol/L|mmol/L))"
)
LAB = re.compile(
    r"(?<![\w-])(?P<an>" + "|".join(ANALYTES) + r")"
    r"(?:\s\([A-Za-z0-9-]+\))?(?:\scount)?(?:\s(?:of|was|were|at|is))?"
    r"\s(?P<num>[<>]?\d+(?:[ ,.]\d{3})*(?:[.,]\d+)?)" + UNIT + r"(?![\w/])",
    re.IGNORECASE,
)
STOP = re.compile(
    r"\b(?:received|was given|were given|was started|were started|started|consisted of|"
    r"treated with|was treated|underwent|was administered)\b"
)
DOSE = re.compile(r"\d(?:[\d,.]*\d)?\s?(?:mg|g|µg|μg|IU|Gy)\b")
CASE_HEAD = re.compile(
    r"^(?:case (?:presentation|presentations|report|description|\d+)|case)$", re.I
)


def canonical_unit(unit: str) -> str:
    u = unit.strip()
    if re.match(r"[×x]", u):
        return "×10^9/L"
    return {"/mm³": "/mm3"}.get(u, u)


def analyte_key(label: str) -> str:
    k = label.lower()
    k = re.sub(r"^(?:the|serum|involved) ", "", k)
    k = k.replace("haem", "hem").replace("leuc", "leuk").replace(" count", "")
    k = {
        "white blood cell": "wbc",
        "white blood cells": "wbc",
        "leukocyte": "leukocytes",
        "platelet": "platelets",
        "lactate dehydrogenase": "ldh",
    }.get(k, k)
    return k


def lab_rows(report: Report):
    """Return (columns, rows, index of the body block after which the table goes)."""
    cases: list = []  # [(case name, {key: (label, unit, num)}, order)]
    current = None
    stopped = False
    last_idx = None
    for idx, blk in enumerate(report.body):
        if blk.kind == "heading":
            if CASE_HEAD.match(blk.text):
                current = {"name": blk.text, "vals": {}, "order": []}
                cases.append(current)
                stopped = False
            else:
                current = None
            continue
        if blk.kind != "para" or current is None or stopped:
            continue
        for sent in re.split(r"(?<=[.;])\s+(?=[A-Z(])", blk.text):
            if STOP.search(sent) and DOSE.search(sent):  # treatment starts
                stopped = True
                break
            for m in LAB.finditer(sent):
                label = re.sub(r"^the ", "", m.group("an"))
                if label[0].islower() and label[0].isascii():
                    label = label[0].upper() + label[1:]
                unit = canonical_unit(m.group("unit"))
                key = (analyte_key(label), unit)
                if key not in current["vals"]:
                    current["vals"][key] = (label, m.group("num"))
                    current["order"].append(key)
                    last_idx = idx
    cases = [c for c in cases if c["vals"]]
    if not cases:
        return None
    if len(cases) == 1:
        cols = ["Parameter", "Value"]
        rows = [
            [f"{lab} ({unit})", num]
            for (k, unit), (lab, num) in ((key, cases[0]["vals"][key]) for key in cases[0]["order"])
        ]
        return cols, rows, last_idx
    keys: list = []
    for c in cases:
        keys += [k for k in c["order"] if k not in keys]
    analytes = list(dict.fromkeys(k[0] for k in keys))  # keep one analyte's rows together
    keys.sort(key=lambda k: analytes.index(k[0]))
    cols = ["Parameter"] + [
        c["name"] if re.match(r"(?i)case \d", c["name"]) else f"Case {n}"
        for n, c in enumerate(cases, 1)
    ]
    rows = []
    for key in keys:
        label = next(c["vals"][key][0] for c in cases if key in c["vals"])
        rows.append(
            [f"{label} ({key[1]})"]
            + [c["vals"][key][1] if key in c["vals"] else "–" for c in cases]
        )
    return cols, rows, last_idx


# --------------------------------------------------------------------------------------
# Front matter made up for each document (deterministic from its doc_id)
# --------------------------------------------------------------------------------------

GIVEN = [
    "Claire",
    "Daniel",
    "Ines",
    "Tomasz",
    "Amara",
    "Henrik",
    "Yuki",
    "Lucia",
    "Omar",
    "Sofia",
    "Rafael",
    "Mei",
    "Jonas",
    "Priya",
    "Elena",
    "Kwame",
    "Marta",
    "Pieter",
]
SURNAMES = [
    "Moreau",
    "Okafor",
    "Varga",
    "Lindqvist",
    "Tanaka",
    "Rossi",
    "Kowalski",
    "Haddad",
    "Novak",
    "Brennan",
    "Castellano",
    "Achterberg",
    "Mensah",
    "Iyer",
    "Dubois",
    "Halvorsen",
    "Sato",
    "Ferreira",
]
INSTITUTIONS = [
    ("Department of Haematology", "St Aldric University Hospital", "Northbridge, UK"),
    ("Department of Medical Oncology", "Lakeshore Cancer Centre", "Westmere, Canada"),
    ("Division of Hematology", "Riverside Medical Center", "Fairhaven, MA, USA"),
    ("Department of Pathology", "St Aldric University Hospital", "Northbridge, UK"),
    ("Department of Internal Medicine", "Hôpital Saint-Aubin", "Valmont, France"),
    ("Department of Nuclear Medicine", "Riverside Medical Center", "Fairhaven, MA, USA"),
]


@dataclass
class Meta:
    authors: list  # [(given, surname, affiliation number)]
    affiliations: list  # [str]
    email: str
    volume: int
    article: int
    doi: dict  # layout -> DOI string
    received: str
    accepted: str


def make_meta(doc_id: str) -> Meta:
    h = hashlib.sha256(doc_id.encode()).digest()
    n = 3 + h[0] % 3
    surnames, given = [], []
    for k in range(n):
        s = SURNAMES[(h[1 + k] + 7 * k) % len(SURNAMES)]
        while s in surnames:
            s = SURNAMES[(SURNAMES.index(s) + 1) % len(SURNAMES)]
        surnames.append(s)
        given.append(GIVEN[(h[6 + k] + 5 * k) % len(GIVEN)])
    insts = [INSTITUTIONS[h[12] % len(INSTITUTIONS)]]
    second = INSTITUTIONS[(h[13] + 1) % len(INSTITUTIONS)]
    if second != insts[0]:
        insts.append(second)
    authors = [
        (g, s, 1 if k != 1 or len(insts) == 1 else 2)
        for k, (g, s) in enumerate(zip(given, surnames))
    ]
    affiliations = [f"{d}, {i}, {c}" for d, i, c in insts]
    volume = 10 + h[14] % 8
    article = 10 + int.from_bytes(h[15:17], "big") % 280
    months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    m = h[17] % 8
    received = f"{1 + h[18] % 28} {months[m]} {YEAR}"
    accepted = f"{1 + h[19] % 28} {months[m + 2]} {YEAR}"
    email = f"{given[0][0].lower()}.{surnames[0].lower()}@example.org"
    doi = {
        "bmc": f"{DOI_PREFIX}/s{volume:05d}-{YEAR}-{article:05d}-{h[20] % 10}",
        "elsevier": f"{DOI_PREFIX}/j.hocr.{YEAR}.{101000 + article}",
        "onecol": f"{DOI_PREFIX}/jcrco.{YEAR}.{article:04d}",
    }
    return Meta(authors, affiliations, email, volume, article, doi, received, accepted)


def short_title(title: str, limit: int = 64) -> str:
    """Running title: the title up to its colon, cut before a linking word if too long."""
    t = title.split(":")[0].strip()
    if len(t) <= limit:
        return t
    cuts = [m.start() for m in re.finditer(r" (?:treated with|with|after|in|and|for) ", t)]
    fits = [c for c in cuts if 20 <= c <= limit]
    if fits:
        return t[: max(fits)].rstrip(",")
    words, out = t.split(), []
    for w in words:
        if len(" ".join(out + [w])) > limit:
            break
        out.append(w)
    while out and out[-1].lower().rstrip(",") in {
        "and",
        "with",
        "in",
        "of",
        "the",
        "a",
        "an",
        "for",
        "after",
        "or",
        "plus",
        "to",
        "at",
    }:
        out.pop()
    return " ".join(out).rstrip(",")


def keywords(title: str) -> list:
    t = title.split(":")[0]
    parts = re.split(r",\s*|\s+(?:treated with|with|and|in|after|for|of|without|or|plus)\s+", t)
    out = []
    for p in parts:
        p = p.strip()
        if len(p) < 3 or re.search(r"\b(?:patients?|cases?|man|woman|outcomes|report)\b", p, re.I):
            continue
        if p[0].islower():
            p = p[0].upper() + p[1:]
        if p not in out:
            out.append(p)
    return out[:5] + ["Case report"]


def furniture(meta: Meta, layout: str, title: str) -> dict:
    """Strings of page furniture (and front matter) per layout; check_pdfs.py uses them."""
    first = meta.authors[0][1]
    cite = f"({YEAR}) {meta.volume}:{meta.article}"
    if layout == "bmc":
        return {
            "head": f"{first} et al. {JOURNALS['bmc']} {cite}",
            "doi": f"https://doi.org/{meta.doi['bmc']}",
            "foot": "Page {n} of {m}",
        }
    if layout == "elsevier":
        return {
            "head": short_title(title),
            "doi": f"https://doi.org/{meta.doi['elsevier']}",
            "foot": "{n}",
            "journal": JOURNALS["elsevier"],
        }
    return {
        "head": f"{JOURNALS['onecol']} · {YEAR} · Volume {meta.volume} · Article {meta.article}",
        "doi": f"https://doi.org/{meta.doi['onecol']}",
        "foot": "{n}",
    }


def declarations(rep: Report, layout: str, meta: Meta) -> list:
    """Journal boilerplate back matter (no drugs, doses, values or markers in it)."""
    heads = {b.text.lower() for b in rep.body if b.kind == "heading"}
    several = any(re.match(r"(?i)case [2-9]$", b.text) for b in rep.body if b.kind == "heading")
    patient = "the patients" if several else "the patient"
    names = [f"{g} {s}" for g, s, _ in meta.authors]
    inits = ["".join(w[0] for w in n.split()) for n in names]
    if layout == "bmc":
        items = [
            (
                "Authors' contributions",
                f"{inits[0]} and {inits[1]} managed {patient} and collected the clinical data. "
                f"{inits[2]} reviewed the pathology and imaging. {inits[0]} drafted the "
                "manuscript. All authors read and approved the final manuscript.",
            )
        ]
        if "funding" not in heads:
            items.append(("Funding", "Not applicable."))
        items += [
            (
                "Availability of data and materials",
                "All data generated or analysed during this study are included in this published article.",
            ),
            ("Ethics approval and consent to participate", "Not applicable."),
            (
                "Consent for publication",
                f"Written informed consent was obtained from {patient} for publication of this "
                "case report and any accompanying images.",
            ),
            ("Competing interests", "The authors declare that they have no competing interests."),
        ]
        return [("Declarations", None)] + items
    if layout == "elsevier":
        roles = [
            "Conceptualization, Writing – original draft",
            "Investigation, Data curation",
            "Visualization, Writing – review & editing",
            "Resources, Validation",
            "Supervision, Writing – review & editing",
        ]
        credit = " ".join(f"{n}: {r}." for n, r in zip(names, roles))
        return [
            ("CRediT authorship contribution statement", credit),
            (
                "Declaration of competing interest",
                "The authors declare that they have no known competing financial interests or "
                "personal relationships that could have appeared to influence the work reported in "
                "this paper.",
            ),
            (
                "Patient consent",
                f"Written informed consent was obtained from {patient} for the publication of this report.",
            ),
        ]
    return []


def augment(rep: Report, layout: str, meta: Meta) -> Report:
    """The report as the layout prints it: the input plus the journal's back matter."""
    extra = []
    for head, text in declarations(rep, layout, meta):
        if text is None:
            extra.append(Block("heading", text=head, section=head))
        else:
            kind = "subheading" if layout == "bmc" else "heading"
            extra.append(Block(kind, text=head, section=head))
            extra.append(Block("para", text=text, section=head))
    body = list(rep.body)
    at = next(
        (k for k, b in enumerate(body) if b.kind == "heading" and b.text.lower() == "references"),
        len(body),
    )
    body[at:at] = extra
    return Report(rep.doc_id, rep.title, rep.abstract, body)


def front_matter(meta: Meta, layout: str, title: str) -> list:
    """Every string the layout prints besides the companion text: page furniture (running
    head, footer, DOI, journal) and front matter (authors, affiliations, correspondence,
    article history, labels). check_pdfs.py uses it to account for the extra words."""
    f = furniture(meta, layout, title)
    names = [f"{g} {s}" for g, s, _ in meta.authors]
    out = [f["head"], f["doi"], JOURNALS[layout], *names, *meta.affiliations, meta.email]
    if layout == "bmc":
        out += ["CASE REPORT", "Open Access", "*Correspondence:", "Page of", "Fig."]
    elif layout == "elsevier":
        out += [
            "Contents lists available at Example Science",
            "journal homepage: www.example.org/locate/hocr",
            "ARTICLE INFO",
            "Article history:",
            f"Received {meta.received}",
            f"Accepted {meta.accepted}",
            f"Available online {meta.accepted}",
            "ABSTRACT",
            f"2213-{meta.volume:02d}{meta.article:02d}/© {YEAR} The Authors. Published by "
            "Example Science Ltd. This is an open access article under the CC BY license.",
            "Corresponding author at:",
            "E-mail address:",
            f"({meta.authors[0][0][0]}. {meta.authors[0][1]})",
            "Fig.",
        ]
    else:
        out += ["*Correspondence:"]
    return out


# --------------------------------------------------------------------------------------
# Inline typesetting: text -> LaTeX
# --------------------------------------------------------------------------------------

SUP = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺²³", "0123456789-+23")
SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "$": r"\$",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}

INLINE = re.compile(
    r"(?P<mul>(?P<sp>\s?)(?P<x>[×x])\s?10(?:\^\(?(?P<e1>[-−]?\d+)\)?|\((?P<e2>[-−]?\d+)\)"
    r"|(?P<e3>[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)))"
    r"|(?P<pow>(?<![\d.,])10(?:\^\(?(?P<p1>[-−]?\d+)\)?|(?P<p2>[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)))"
    r"|(?P<upow>/(?P<u>c?m|mm)(?P<d>[23²³])(?![\w]))"
    r"|(?P<mk>(?<![\w-])(?P<mname>CD\d+[a-z]?|HLA-DR|FMC7)(?P<sign>[+−-])(?![+\w]))"
    r"|(?P<usup>[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+)"
)


def esc(s: str) -> str:
    return "".join(SPECIAL.get(c, c) for c in s)


def exp_tex(e: str) -> str:
    e = e.translate(SUP).replace("−", "-")
    return e


def tex_inline(text: str, layout: str) -> str:
    out, pos = [], 0
    for m in INLINE.finditer(text):
        g = m.groupdict()
        if g["mul"]:
            before = text[: m.start()] + g["sp"]
            # a Latin "x" is a multiplication sign only right after a number
            if g["x"] == "x" and not re.search(r"\d\s?$", before):
                continue
            out.append(esc(text[pos : m.start()]))
            e = exp_tex(g["e1"] or g["e2"] or g["e3"])
            out.append(("~" if g["sp"] else "") + r"$\times 10^{" + e + "}$")
        elif g["pow"]:
            out.append(esc(text[pos : m.start()]))
            out.append(r"$10^{" + exp_tex(g["p1"] or g["p2"]) + "}$")
        elif g["upow"]:
            out.append(esc(text[pos : m.start()]))
            out.append("/" + g["u"] + "$^{" + g["d"].translate(SUP) + "}$")
        elif g["mk"]:
            sign = g["sign"]
            sup = (layout == "elsevier") or (layout == "onecol" and sign == "+")
            if not sup or (sign == "-" and layout != "elsevier"):
                continue
            out.append(esc(text[pos : m.start()]))
            out.append(esc(g["mname"]) + ("$^{+}$" if sign == "+" else "$^{-}$"))
        elif g["usup"]:
            out.append(esc(text[pos : m.start()]))
            out.append("$^{" + exp_tex(g["usup"]) + "}$")
        pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out)


def plain(text: str) -> str:
    """Companion form of an input line: the input itself, except that x10(9) (which a
    reader cannot recover from a superscript) is written the way it is typeset."""
    return re.sub(r"(?<=\d)(\s?)x\s?10\((-?\d+)\)", lambda m: f"{m.group(1)}×10^{m.group(2)}", text)


# --------------------------------------------------------------------------------------
# Layouts
# --------------------------------------------------------------------------------------

PREAMBLE_COMMON = r"""\usepackage{fontspec}
\usepackage{unicode-math}
\usepackage{fancyhdr}
\usepackage{lastpage}
\usepackage{titlesec}
\usepackage{caption}
\usepackage{booktabs}
\usepackage{xcolor}
\frenchspacing
\setlength{\emergencystretch}{1em}
"""


def author_line(meta: Meta, style: str) -> str:
    parts = []
    for k, (g, s, a) in enumerate(meta.authors):
        star = "*" if k == 0 else ""
        if style == "elsevier":
            mark = "abcdef"[a - 1] + (",*" if star else "")
        else:
            mark = f"{a}{',*' if star else ''}"
        parts.append(f"{esc(g)} {esc(s)}\\textsuperscript{{{mark}}}")
    if style == "elsevier":
        return ", ".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def figure_tex(blk: Block, layout: str) -> str:
    num = FIGURE_LABEL.match(blk.label).group(1)
    place = {"bmc": "t", "elsevier": "!h", "onecol": "!ht"}[layout]
    height = {"bmc": "5.2cm", "elsevier": "4.6cm", "onecol": "5.5cm"}[layout]
    return (
        f"\\begin{{figure}}[{place}]\n\\centering\n"
        f"\\fbox{{\\rule{{0pt}}{{{height}}}\\rule{{0.86\\linewidth}}{{0pt}}}}\n"
        f"\\setcounter{{figure}}{{{int(num) - 1}}}\n"
        f"\\caption{{{tex_inline(blk.text, layout)}}}\n\\end{{figure}}\n"
    )


def table_tex(cols: list, rows: list, layout: str) -> str:
    place = {"bmc": "t", "elsevier": "!h", "onecol": "!ht"}[layout]
    spec = "l" + "r" * (len(cols) - 1)
    head = " & ".join(f"\\textbf{{{esc(c)}}}" if layout != "elsevier" else esc(c) for c in cols)
    body = "\n".join(" & ".join(tex_inline(c, layout) for c in r) + r" \\" for r in rows)
    return (
        f"\\begin{{table}}[{place}]\n\\caption{{Laboratory values at presentation}}\n"
        f"\\centering\\small\n\\begin{{tabular}}{{{spec}}}\n\\toprule\n{head} \\\\\n"
        f"\\midrule\n{body}\n\\bottomrule\n\\end{{tabular}}\n\\end{{table}}\n"
    )


def refs_tex(items: list, layout: str) -> str:
    out = [
        "\\begin{list}{}{\\setlength{\\leftmargin}{1.6em}\\setlength{\\labelwidth}{1.3em}"
        "\\setlength{\\labelsep}{0.3em}\\setlength{\\itemsep}{1pt}\\setlength{\\parsep}{0pt}}"
    ]
    if layout != "onecol":
        out.insert(0, "{\\footnotesize")
    else:
        out.insert(0, "{\\small")
    for it in items:
        m = re.match(r"^(\d+\.)\s+(.*)$", it)
        if m:
            out.append(f"\\item[{m.group(1)}] {tex_inline(m.group(2), layout)}")
        else:
            out.append(f"\\item[] {tex_inline(it, layout)}")
    out.append("\\end{list}}")
    return "\n".join(out) + "\n"


def abstract_tex(rep: Report, layout: str) -> str:
    paras = []
    for sub, text in rep.abstract:
        if sub:
            sep = ":" if layout in ("bmc", "elsevier") else "."
            lab = (
                f"\\textbf{{{esc(sub)}{sep}}}"
                if layout != "elsevier"
                else f"\\textit{{{esc(sub)}{sep}}}"
            )
            paras.append(f"{lab} {tex_inline(text, layout)}")
        else:
            paras.append(tex_inline(text, layout))
    return "\n\n".join(paras)


def body_tex(rep: Report, layout: str, table: str | None, table_after: int | None) -> str:
    out = []
    sec = 0
    pending_runin = None  # onecol: heading waiting for its paragraph
    for idx, blk in enumerate(rep.body):
        if blk.kind == "heading":
            if layout == "bmc":
                if blk.text.lower() in BACK_MATTER:
                    out.append(f"\\section*{{{esc(blk.text)}}}")
                else:
                    out.append(f"\\section{{{esc(blk.text)}}}")
            elif layout == "elsevier":
                out.append(f"\\section*{{{esc(blk.text)}}}")
            else:
                nxt = rep.body[idx + 1] if idx + 1 < len(rep.body) else None
                if nxt is not None and nxt.kind == "para":
                    pending_runin = blk.text
                else:
                    out.append(f"\\section*{{{esc(blk.text)}}}")
        elif blk.kind == "subheading":
            out.append(f"\\subsection*{{{esc(blk.text)}}}")
        elif blk.kind == "para":
            small = layout != "onecol" and blk.section.lower() in BACK_MATTER
            txt = tex_inline(blk.text, layout)
            if pending_runin:
                txt = f"\\runin{{{esc(pending_runin)}}}{txt}"
                pending_runin = None
            out.append(("{\\footnotesize " + txt + "\\par}") if small else txt)
        elif blk.kind == "figure":
            out.append(figure_tex(blk, layout))
        elif blk.kind == "refs":
            out.append(refs_tex(blk.items, layout))
        if table is not None and idx == table_after:
            out.append(table)
    return "\n\n".join(out)


def document_tex(rep: Report, layout: str, meta: Meta) -> str:
    tex = _document_tex(rep, layout, meta)
    # a fixed trailer /ID (LuaTeX otherwise derives it from the build folder): same input,
    # same PDF bytes
    pdf_id = hashlib.md5(f"{rep.doc_id}.{layout}".encode()).hexdigest().upper()
    first, rest = tex.split("\n", 1)
    return f"{first}\n\\pdfvariable trailerid {{[<{pdf_id}> <{pdf_id}>]}}\n{rest}"


def _document_tex(rep: Report, layout: str, meta: Meta) -> str:
    rep = augment(rep, layout, meta)
    tab = lab_rows(rep)
    table = table_tex(tab[0], tab[1], layout) if tab else None
    table_after = tab[2] if tab else None
    furn = furniture(meta, layout, rep.title)
    title = tex_inline(rep.title, layout)
    affs = "\\\\".join(
        f"\\textsuperscript{{{'abcdef'[k] if layout == 'elsevier' else k + 1}}}{esc(a)}"
        for k, a in enumerate(meta.affiliations)
    )
    body = body_tex(rep, layout, table, table_after)
    abstract = abstract_tex(rep, layout)
    first = meta.authors[0]
    kw = "; ".join(tex_inline(k, layout) for k in keywords(plain(rep.title)))
    if layout == "bmc":
        return rf"""\documentclass[11pt,twocolumn,a4paper]{{article}}
\usepackage[top=2.3cm,bottom=2.2cm,left=1.8cm,right=1.8cm,columnsep=0.65cm,headsep=0.7cm,footskip=1cm]{{geometry}}
{PREAMBLE_COMMON}\setmainfont{{TeX Gyre Termes}}
\setsansfont{{TeX Gyre Heros}}
\setmathfont{{TeX Gyre Termes Math}}
\pagestyle{{fancy}}\fancyhf{{}}
\renewcommand{{\headrulewidth}}{{0pt}}
\fancyhead[L]{{\footnotesize\sffamily {esc(first[1])} \textit{{et al.}} \textit{{{esc(JOURNALS["bmc"])}}} ({YEAR}) {meta.volume}:{meta.article}}}
\fancyhead[R]{{\footnotesize\sffamily\ifnum\value{{page}}=1 {esc(furn["doi"])}\fi}}
\fancyfoot[R]{{\footnotesize\sffamily Page \thepage\ of \pageref{{LastPage}}}}
\titleformat{{\section}}{{\sffamily\bfseries\large}}{{\thesection}}{{0.5em}}{{}}
\titlespacing*{{\section}}{{0pt}}{{1.6ex plus .5ex}}{{0.8ex}}
\titleformat{{\subsection}}{{\sffamily\bfseries\normalsize}}{{\thesubsection}}{{0.5em}}{{}}
\titlespacing*{{\subsection}}{{0pt}}{{1.2ex plus .3ex}}{{0.4ex}}
\captionsetup{{font=small,labelfont={{bf,sf}},labelsep=space,justification=justified,singlelinecheck=false}}
\captionsetup[figure]{{name=Fig.}}
\captionsetup[table]{{name=Table,position=top}}
\begin{{document}}
\twocolumn[{{%
{{\sffamily\footnotesize CASE REPORT\hfill\textbf{{Open Access}}}}\par\vspace{{5mm}}
{{\sffamily\bfseries\LARGE\raggedright {title}\par}}\vspace{{4mm}}
{{\sffamily\normalsize {author_line(meta, "bmc")}\par}}\vspace{{5mm}}
\noindent\rule{{\textwidth}}{{0.5pt}}\par\vspace{{1mm}}
{{\sffamily\bfseries\large Abstract}}\par\vspace{{1mm}}
{{\normalsize {abstract}\par}}
\vspace{{1mm}}{{\normalsize\textbf{{Keywords:}} {kw}\par}}
\vspace{{1mm}}\noindent\rule{{\textwidth}}{{0.5pt}}\par\vspace{{6mm}}
}}]
{{\renewcommand{{\thefootnote}}{{}}\footnotetext{{\hspace*{{-1.8em}}\sffamily\scriptsize *Correspondence: {esc(meta.email)}\\ {affs}}}}}
{body}

\end{{document}}
"""
    if layout == "elsevier":
        return rf"""\documentclass[10pt,twocolumn,a4paper]{{extarticle}}
\usepackage[top=2.5cm,bottom=3cm,left=1.9cm,right=1.9cm,columnsep=0.6cm,headsep=0.6cm,footskip=1.1cm]{{geometry}}
{PREAMBLE_COMMON}\setmainfont{{TeX Gyre Termes}}
\setsansfont{{TeX Gyre Heros}}
\setmathfont{{TeX Gyre Termes Math}}
\pagestyle{{fancy}}\fancyhf{{}}
\renewcommand{{\headrulewidth}}{{0.4pt}}
\fancyhead[L]{{\footnotesize\itshape {tex_inline(furn["head"], layout)}}}
\fancyhead[R]{{\footnotesize\thepage}}
\fancypagestyle{{first}}{{\fancyhf{{}}\fancyhead[L]{{\footnotesize\itshape {tex_inline(furn["head"], layout)}}}\fancyhead[R]{{\footnotesize\thepage}}%
\fancyfoot[L]{{\parbox[t]{{\textwidth}}{{\scriptsize {esc(furn["doi"])}\\ Received {meta.received}; Accepted {meta.accepted}\\ 2213-{meta.volume:02d}{meta.article:02d}/\textcopyright\ {YEAR} The Authors. Published by Example Science Ltd. This is an open access article under the CC BY license.}}}}}}
\linespread{{1.07}}
\titleformat{{\section}}{{\normalfont\bfseries\small}}{{}}{{0pt}}{{\MakeUppercase}}
\titlespacing*{{\section}}{{0pt}}{{1.8ex plus .5ex}}{{0.9ex}}
\captionsetup{{font=footnotesize,labelfont=bf,labelsep=period,justification=justified}}
\captionsetup[figure]{{name=Fig.}}
\captionsetup[table]{{name=Table,labelsep=newline,position=top}}
\begin{{document}}
\twocolumn[{{%
\noindent\begin{{minipage}}[c]{{0.14\textwidth}}{{\color{{black!25}}\rule{{\linewidth}}{{2.4cm}}}}\end{{minipage}}\hfill
\colorbox{{black!6}}{{\begin{{minipage}}[c][2.4cm][c]{{0.64\textwidth}}\centering
{{\footnotesize Contents lists available at Example Science}}\par\vspace{{2mm}}
{{\color{{black!80}}\LARGE {esc(JOURNALS["elsevier"])}}}\par\vspace{{2mm}}
{{\footnotesize journal homepage: www.example.org/locate/hocr}}
\end{{minipage}}}}\hfill
\begin{{minipage}}[c]{{0.14\textwidth}}{{\color{{black!40}}\rule{{\linewidth}}{{2.4cm}}}}\end{{minipage}}\par\vspace{{1mm}}
\noindent\rule{{\textwidth}}{{1.6pt}}\par\vspace{{5mm}}
{{\LARGE\raggedright {title}\par}}\vspace{{3mm}}
{{\normalsize {author_line(meta, "elsevier")}\par}}\vspace{{1mm}}
{{\scriptsize\itshape {affs}\par}}\vspace{{3mm}}
\noindent\rule{{\textwidth}}{{0.4pt}}\par
\noindent\begin{{minipage}}[t]{{0.27\textwidth}}\vspace{{1mm}}
{{\scriptsize\textbf{{ARTICLE INFO}}\par\vspace{{1mm}}\textit{{Article history:}}\\Received {meta.received}\\Accepted {meta.accepted}\\Available online {meta.accepted}\par}}
\end{{minipage}}\hfill
\begin{{minipage}}[t]{{0.69\textwidth}}\vspace{{1mm}}
{{\scriptsize\textbf{{ABSTRACT}}\par\vspace{{1mm}}}}
{{\footnotesize {abstract}\par}}
\end{{minipage}}\par\vspace{{2mm}}
\noindent\rule{{\textwidth}}{{0.4pt}}\par\vspace{{5mm}}
}}]
\thispagestyle{{first}}
{{\renewcommand{{\thefootnote}}{{}}\footnotetext{{\hspace*{{-1.8em}}\textsuperscript{{*}}Corresponding author at: {esc(meta.affiliations[0])}.\\ \textit{{E-mail address:}} {esc(meta.email)} ({esc(first[0][0])}. {esc(first[1])}).}}}}
{body}

\end{{document}}
"""
    return rf"""\documentclass[11pt,a4paper]{{article}}
\usepackage[top=2.8cm,bottom=3cm,left=3.6cm,right=3.6cm,footskip=1.3cm,headsep=0.8cm]{{geometry}}
{PREAMBLE_COMMON}\setmainfont{{TeX Gyre Pagella}}
\setsansfont{{TeX Gyre Heros}}
\setmathfont{{TeX Gyre Pagella Math}}
\pagestyle{{fancy}}\fancyhf{{}}
\renewcommand{{\headrulewidth}}{{0pt}}
\fancyfoot[C]{{\small\thepage}}
\fancypagestyle{{first}}{{\fancyhf{{}}\fancyhead[C]{{\scriptsize {tex_inline(furn["head"], layout)}}}\fancyfoot[L]{{\scriptsize {esc(furn["doi"])}}}\fancyfoot[C]{{\small\thepage}}}}
\newcommand{{\runin}}[1]{{\par\medskip\noindent\textbf{{#1.}}\enspace}}
\titleformat{{\section}}[block]{{\normalfont\bfseries\normalsize}}{{}}{{0pt}}{{}}
\captionsetup{{font=small,labelfont=bf,labelsep=period}}
\captionsetup[table]{{position=top}}
\setlength{{\parindent}}{{1.2em}}
\begin{{document}}
\thispagestyle{{first}}
\begin{{center}}
{{\Large\bfseries {title}\par}}\vspace{{4mm}}
{{\normalsize {author_line(meta, "onecol")}\par}}\vspace{{2mm}}
{{\footnotesize {affs}\\ *Correspondence: {esc(meta.email)}\par}}
\end{{center}}
\vspace{{2mm}}
\begin{{quote}}\small
\noindent\textbf{{Abstract}}\par\smallskip
{abstract}

\smallskip\noindent\textbf{{Keywords:}} {kw}
\end{{quote}}
\vspace{{2mm}}
{body}

\end{{document}}
"""


# --------------------------------------------------------------------------------------
# Companion clean text
# --------------------------------------------------------------------------------------


def companion_text(rep: Report, layout: str, meta: Meta) -> str:
    rep = augment(rep, layout, meta)
    lines = [plain(rep.title)]
    if rep.abstract:
        lines.append("Abstract")
        for sub, text in rep.abstract:
            if sub:
                lines.append(sub)
            lines.append(plain(text))
    if layout in ("bmc", "onecol"):
        lines.append("Keywords: " + "; ".join(keywords(plain(rep.title))))
    tab = lab_rows(rep)
    for idx, blk in enumerate(rep.body):
        if blk.kind in ("heading", "subheading", "para"):
            lines.append(plain(blk.text))
        elif blk.kind == "figure":
            lines.append(blk.label)
            lines.append(plain(blk.text))
        elif blk.kind == "refs":
            lines.append("\n".join(plain(it) for it in blk.items))
        if tab and idx == tab[2]:
            cols, rows, _ = tab
            block = ["Table 1 Laboratory values at presentation", "  ".join(cols)]
            block += ["  ".join(r) for r in rows]
            lines.append("\n".join(block))
    return "\n\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------------------


def run_lualatex(tex_path: Path, pdf_path: Path) -> None:
    env = dict(os.environ, SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH, FORCE_SOURCE_DATE="1")
    with tempfile.TemporaryDirectory(prefix="casex-pdf-") as tmp:
        work = Path(tmp) / "doc.tex"
        shutil.copyfile(tex_path, work)
        for _ in range(2):  # the second run resolves \pageref{LastPage}
            res = subprocess.run(
                ["lualatex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
                cwd=tmp,
                env=env,
                capture_output=True,
                text=True,
            )
            if res.returncode != 0:
                log = Path(tmp) / "doc.log"
                tail = (
                    log.read_text(errors="replace")[-3000:] if log.exists() else res.stdout[-3000:]
                )
                raise RuntimeError(f"lualatex failed on {tex_path.name}:\n{tail}")
        shutil.copyfile(Path(tmp) / "doc.pdf", pdf_path)


def default_inputs() -> list:
    return sorted((REPO / "corpus" / "raw").glob("[12]*.txt"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "inputs", nargs="*", type=Path, help="report texts (default: corpus/raw/1*.txt and 2*.txt)"
    )
    ap.add_argument("--out", type=Path, default=HERE, help="output folder (default: this folder)")
    ap.add_argument(
        "--layouts",
        default=",".join(LAYOUTS),
        help=f"comma-separated subset of {','.join(LAYOUTS)}",
    )
    ap.add_argument("--no-pdf", action="store_true", help="write .tex and .txt, skip LaTeX")
    args = ap.parse_args(argv)
    layouts = [x.strip() for x in args.layouts.split(",") if x.strip()]
    bad = [x for x in layouts if x not in LAYOUTS]
    if bad:
        ap.error(f"unknown layout(s): {', '.join(bad)}")
    inputs = args.inputs or default_inputs()
    if not args.no_pdf and shutil.which("lualatex") is None:
        ap.error("lualatex not found (apt-get install texlive-luatex ...; see README.md)")
    args.out.mkdir(parents=True, exist_ok=True)
    failures = 0
    for path in inputs:
        rep = parse_report(path)
        meta = make_meta(rep.doc_id)
        if lab_rows(rep) is None:
            print(f"warning: {path.name}: no lab values found for Table 1", file=sys.stderr)
        for layout in layouts:
            stem = f"{rep.doc_id}.{layout}"
            tex = args.out / f"{stem}.tex"
            tex.write_text(document_tex(rep, layout, meta), encoding="utf-8")
            (args.out / f"{stem}.txt").write_text(
                companion_text(rep, layout, meta), encoding="utf-8"
            )
            if not args.no_pdf:
                try:
                    run_lualatex(tex, args.out / f"{stem}.pdf")
                except RuntimeError as exc:
                    failures += 1
                    print(exc, file=sys.stderr)
                    continue
            print(f"{stem}: ok", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
