#!/usr/bin/env python3
"""Check the PDF fixtures against their companion texts, through pypdfium2's text layer.

For every <doc_id>.<layout>.pdf beside a <doc_id>.<layout>.txt in the folder, this reads the
PDF's text layer with pypdfium2 (as casex does) and counts what a PDF reader has to undo:

    hyphens      line-end hyphens: pdfium reports each as U+0002 (U+FFFE in get_text_range)
                 and drops the line break; "soft" ones split a word (TeX hyphenation:
                 olverem-batinib), "hard" ones fall on a hyphen the text really has (R-CHOP,
                 venetoclax-azacitidine, Ki-67)
    heads/feet   pages whose text layer holds the running head / the footer (Page N of M,
                 or the page number), and the DOI line on page 1
    superscripts runs of characters set smaller and raised above the baseline, by kind:
                 exponent (×10⁹, 10⁻⁴), unit power (m², mm³), marker sign (CD34⁺, CD19⁻),
                 other (author and affiliation marks)

and it compares the words of the text layer with the words of the companion text (case,
superscripts and the plain notations ^, (9) folded; line-end hyphens undone with the
companion's spelling): every companion word must be in the PDF, and every PDF word that is
not in the companion must be page furniture or front matter.

Run with the project's venv (pypdfium2):  .venv/bin/python benchmarks/pdf_fixtures/check_pdfs.py
Options: --dir DIR (default: this folder), --verbose (print the unmatched words).
"""

from __future__ import annotations

import argparse
import ctypes
import re
import sys
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True
import make_pdfs  # noqa: E402  (furniture strings and front matter of each fixture)

SUPMAP = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def page_chars(page):
    """[(char, font size, x, y)] of one page, generated characters included."""
    tp = page.get_textpage()
    n = pdfium_c.FPDFText_CountChars(tp.raw)
    x, y = ctypes.c_double(), ctypes.c_double()
    box = [ctypes.c_double() for _ in range(4)]
    out, right = [], []
    for i in range(n):
        ch = chr(pdfium_c.FPDFText_GetUnicode(tp.raw, i))
        size = pdfium_c.FPDFText_GetFontSize(tp.raw, i)
        pdfium_c.FPDFText_GetCharOrigin(tp.raw, i, ctypes.byref(x), ctypes.byref(y))
        pdfium_c.FPDFText_GetCharBox(tp.raw, i, *(ctypes.byref(b) for b in box))
        gen = pdfium_c.FPDFText_IsGenerated(tp.raw, i) == 1
        out.append((ch, size, x.value, y.value, gen))
        right.append(box[1].value)
    # the page's text as pdfium reads it (U+0002 marks a line-end hyphen; get_text_range
    # gives U+FFFE), except that the line breaks pdfium makes up around a superscript are
    # dropped, as a perfect reader would
    sup = dict(_sup_index(out))  # index -> baseline y of the text it is raised above
    text = []
    skip = False
    for i, (ch, size, x_, y_, gen) in enumerate(out):
        if skip:
            skip = False
            continue
        if (
            gen
            and ch == "\r"
            and (i + 2) in sup
            and i > 0
            and not out[i - 1][4]
            and abs(out[i - 1][3] - sup[i + 2]) < 0.5 * out[i - 1][1]
            and out[i + 2][2] > out[i - 1][2]
        ):
            skip = True  # a break pdfium makes up before a superscript of the same line
            continue
        if gen and ch == "\r" and (i - 1) in sup and i + 2 < len(out):
            nxt = out[i + 2]
            if abs(nxt[3] - sup[i - 1]) < 0.5 * nxt[1] and nxt[2] > out[i - 1][2]:
                # a break pdfium makes up after a superscript within a line: a space if
                # there is a gap, else nothing
                gap = nxt[2] - right[i - 1]
                text.append(" " if gap > 0.2 * nxt[1] else "")
                skip = True
                continue
        text.append("\ufffe" if ch == "\x02" else ch)
    return out, "".join(text)


def _sup_index(chars):
    """(index, baseline) of the characters set smaller and raised above the baseline."""
    found, prev = [], None
    for i, (ch, size, x, y, gen) in enumerate(chars):
        if gen or ch.isspace() or size <= 1.5:
            continue
        if prev is not None and size <= 0.85 * prev[0] and y - prev[1] > 0.12 * prev[0]:
            found.append((i, prev[1]))
        else:
            prev = (size, y)
    return found


def superscripts(chars):
    """Runs of raised, smaller characters, each with the 12 characters before it."""
    runs, prev, cur, text = [], None, None, []
    for ch, size, x, y, gen in chars:
        if gen or ch.isspace() or size <= 1.5:
            text.append(ch)
            continue
        raised = prev is not None and size <= 0.85 * prev[0] and y - prev[1] > 0.12 * prev[0]
        if raised:
            if cur is None:
                cur = ["".join(text[-12:]), ""]
                runs.append(cur)
            cur[1] += ch
        else:
            cur = None
            prev = (size, y)
        text.append(ch)
    return [(before, s) for before, s in runs]


def sup_kind(before: str, sup: str) -> str:
    b = before.replace("\r", "").replace("\n", "")
    if re.search(r"10$", b):
        return "exponent"
    if re.search(r"/(?:c?m|mm)$", b):
        return "unit power"
    if re.search(r"(?:CD\d+[a-z]?|HLA-DR|FMC7)$", b) and sup in {"+", "−", "-"}:
        return "marker sign"
    return "other"


def fold(s: str) -> str:
    s = s.translate(SUPMAP).replace("−", "-").replace("^", "")
    s = re.sub(r"10\((\d+)\)", r"10\1", s)
    return s.lower()


def words(s: str) -> list:
    return re.findall(r"\w+", fold(s))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", type=Path, default=HERE)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)
    totals = Counter()
    rows = []
    for pdf in sorted(args.dir.glob("*.pdf")):
        doc_id, layout = pdf.name[:-4].rsplit(".", 1)
        comp_path = pdf.with_name(pdf.name[:-4] + ".txt")
        if not comp_path.exists() or layout not in make_pdfs.LAYOUTS:
            continue
        companion = comp_path.read_text(encoding="utf-8")
        title = companion.splitlines()[0]
        meta = make_pdfs.make_meta(doc_id)
        furn = make_pdfs.furniture(meta, layout, title)
        doc = pdfium.PdfDocument(str(pdf))
        npages = len(doc)
        comp_vocab = set(words(companion))
        comp_text_folded = fold(companion)
        c = Counter(pages=npages)
        pdf_text = []
        for k in range(npages):
            chars, text = page_chars(doc[k])
            flat = re.sub(r"\s+", " ", text.replace("\ufffe", "-"))
            head = re.sub(r"\s+", " ", furn["head"])
            if head in flat:
                c["head"] += 1
            if layout == "bmc":
                if f"Page {k + 1} of {npages}" in flat:
                    c["foot"] += 1
            elif re.search(rf"(?:^|\s){k + 1}\s*$", text) or (
                layout == "elsevier"
                and re.match(rf"^{re.escape(furn['head'])}\s*{k + 1}\b", re.sub(r"\s+", " ", text))
            ):
                c["foot"] += 1  # page number (bottom for onecol, in the head for elsevier)
            if k == 0 and furn["doi"] in flat:
                c["doi"] += 1
            # line-end hyphens (classified once the pages are joined, below)
            c["hyphen_all"] += text.count("\ufffe")
            for before, sup in superscripts(chars):
                c["sup:" + sup_kind(before, sup)] += 1
            pdf_text.append(text)
        # undo line-end hyphens with the companion's spelling; the second half of a word may
        # come after a page's footer and the next page's running head
        joined = "\n".join(pdf_text)
        pos = 0
        while True:
            m = re.compile(r"(\w+)(?:\ufffe|-(?=\r?\n))").search(joined, pos)
            if not m:
                break
            pos = m.start() + 1
            left = m.group(1)
            if not m.group(0).endswith("\ufffe"):
                # "-" then a line break: pdfium did not take it for a hyphen (the next line
                # is a footnote, a footer or a float); a hyphen only if it joins a word
                after = joined[m.end() : m.end() + 2000]
                if any(
                    fold(left + r.group(0)) in comp_vocab and r.group(0)[0].islower()
                    for r in list(re.finditer(r"\w+", after))[:300]
                ):
                    joined = joined[: m.end() - 1] + "\ufffe" + joined[m.end() :]
                    c["hyphen_missed_by_pdfium"] += 1
                    m = re.compile(r"(\w+)\ufffe").match(joined, m.start())
                else:
                    nxt = re.match(r"\s*(\w+)", after)
                    if nxt and fold(f"{left}-{nxt.group(1)}") in comp_text_folded:
                        c["hyphen_hard"] += 1  # a real hyphen at a line end, left as "-"
                        c["hyphen_missed_by_pdfium"] += 1
                    continue
            after = joined[m.end() : m.end() + 2000]
            cands = list(re.finditer(r"\w+", after))
            pick = None
            for r in cands[:300]:
                right = r.group(0)
                if fold(left + right) in comp_vocab:
                    pick, kind, repl = r, "soft", left + right
                    break
                if fold(f"{left}-{right}") in comp_text_folded:
                    pick, kind, repl = r, "hard", f"{left}-{right}"
                    break
            if pick is None:
                c["hyphen_unresolved"] += 1
                joined = joined[: m.start()] + left + "-" + joined[m.end() :]
                continue
            c["hyphen_" + kind] += 1
            a, b = m.end() + pick.start(), m.end() + pick.end()
            gap = joined[m.end() : a]
            joined = joined[: m.start()] + repl + " " + gap + joined[b:]
        pw, cw = Counter(words(joined)), Counter(words(companion))
        missing = cw - pw
        extra = pw - cw
        # expected differences: figure label "Fig." for "Figure"; bmc section numbers
        missing.pop("figure", None)
        c["missing_words"] = sum(missing.values())
        c["extra_words"] = sum(extra.values())
        # every extra word must come from the furniture or front matter (an author name may
        # carry its superscript marks: "moreau1", "iyera")
        fm = set(words(" ".join(make_pdfs.front_matter(meta, layout, title)))) | {"and"}

        def explained(w):
            if re.fullmatch(r"\d{1,3}", w):  # section and page numbers
                return True
            # a name or word with superscript marks glued to it ("moreau1", "adepartment"),
            # or one half of a hyphenated front-matter word ("north-", "bridge")
            forms = {w[i : len(w) - j] for i in range(2) for j in range(3)}
            return any(
                f in fm or (len(f) >= 3 and any(x.startswith(f) or x.endswith(f) for x in fm))
                for f in forms
            )

        unexplained = Counter({w: n for w, n in extra.items() if not explained(w)})
        c["unexplained_words"] = sum(unexplained.values())
        rows.append((pdf.name, c, missing, unexplained, extra))
        totals.update(c)

    def line(name, c):
        hyph = c["hyphen_soft"] + c["hyphen_hard"] + c["hyphen_unresolved"]
        return (
            f"{name:46} {c['pages']:3} {c['head']:4} {c['foot']:4} {c['doi']:3} "
            f"{hyph:5} {c['hyphen_soft']:4} {c['hyphen_hard']:4} "
            f"{c['hyphen_missed_by_pdfium']:5} {c['sup:exponent']:4} {c['sup:unit power']:4} "
            f"{c['sup:marker sign']:4} {c['sup:other']:4} {c['missing_words']:5} "
            f"{c['extra_words']:5} {c['unexplained_words']:5}"
        )

    print(
        f"{'fixture':46} {'pp':>3} {'head':>4} {'foot':>4} {'doi':>3} "
        f"{'hyph':>5} {'soft':>4} {'hard':>4} {'nomrk':>5} {'exp':>4} {'unit':>4} "
        f"{'mark':>4} {'oth':>4} {'miss':>5} {'extra':>5} {'unexp':>5}"
    )
    for name, c, missing, unexplained, extra in rows:
        print(line(name, c))
        if missing:
            print("   companion words not in the PDF:", dict(missing))
        if unexplained:
            print("   PDF words neither in the companion nor furniture:", dict(unexplained))
        if args.verbose:
            print("   PDF words not in the companion:", " ".join(sorted(extra.elements())))
    print(line(f"TOTAL ({len(rows)} PDFs)", totals))
    print("""
pp: pages; head: pages with the running head; foot: pages with the footer (bmc "Page N of
M") or page number; doi: DOI line on page 1; hyph: line-end hyphens (soft: inside a word,
hard: on a hyphen of the text, as in R-CHOP or 28-day; hyph also counts front-matter ones),
nomrk: of them, hyphens that pdfium left as "-" + line break instead of marking them (a hard
hyphen after a digit, or a line followed by a footnote, footer or float); exp/unit/mark/oth: superscript runs
(exponent, unit power, marker sign, other = author/affiliation marks); miss: companion words
not in the PDF text layer; extra: PDF words not in the companion; unexp: extra words that are
not furniture or front matter.""")
    return 1 if totals["missing_words"] or totals["unexplained_words"] else 0


if __name__ == "__main__":
    sys.exit(main())
