"""Case summaries: what a curator reads about one patient, from the patient's mentions."""

from __future__ import annotations

from collections.abc import Iterable

# Best first; the best response of a patient is the category found first in this order.
# OTHER (vague praise such as "good response") ranks nowhere and is never reported.
RESPONSE_RANKING = (
    "MRD_NEGATIVE",
    "CR",
    "CMR",
    "MOLECULAR_RESPONSE",
    "CRi",
    "CRh",
    "VGPR",
    "CYTOGENETIC_RESPONSE",
    "PR",
    "PMR",
    "HEMATOLOGIC_RESPONSE",
    "MRD_POSITIVE",
    "SD",
    "NMR",
    "PD",
    "PMD",
    "NR",
)
SUMMARY_SEPARATOR = "; "


def case_summary(mentions: list[dict]) -> dict[str, str | None]:
    """The summary columns of one patient from the patient's mentions in text order.

    Negated and hypothetical mentions are left out. `immunophenotype` lists each marker
    status once (`CD19+ CD22+ CD20- CD10+(dim)`); `drugs` the drug names; `doses` each
    distinct dose (`ponatinib 15 mg PO daily`); `best_response` the best category by
    `RESPONSE_RANKING`, `last_response` the last ranked one in the text;
    `presentation_labs` the first value of each analyte (`hemoglobin 7.3 g/dL`);
    `therapies`, `adverse_events` (`febrile neutropenia (grade 3)`) and `genetics`
    (`flt3-itd positive`) each distinct one once.
    """
    stated = [m for m in mentions if not m["negated"] and not m["hypothetical"]]

    def labelled(label: str) -> list[dict]:
        return [m["normalized"] for m in stated if m["label"] == label]

    responses = [n["category"] for n in labelled("RESPONSE") if n["category"] in RESPONSE_RANKING]
    first_labs: dict[str, dict] = {}
    for lab in labelled("LAB_VALUE"):
        if lab["analyte"]:
            first_labs.setdefault(lab["analyte"], lab)
    return {
        "immunophenotype": _join(map(_phenotype_text, labelled("IMMUNOPHENOTYPE")), " "),
        "drugs": _join(n["name"] for n in labelled("DRUG")),
        "doses": _join(map(_dose_text, labelled("DOSE"))),
        "best_response": min(responses, key=RESPONSE_RANKING.index) if responses else None,
        "last_response": responses[-1] if responses else None,
        "presentation_labs": _join(map(_lab_text, first_labs.values())),
        "therapies": _join(dict.fromkeys(n["name"] for n in labelled("THERAPY"))),
        "adverse_events": _join(dict.fromkeys(map(_event_text, labelled("ADVERSE_EVENT")))),
        "genetics": _join(dict.fromkeys(map(_genetics_text, labelled("GENETICS")))),
    }


def day_ranges(days: list[int]) -> str:
    """`[1, 2, 3, 4, 8]` -> `"1-4,8"`: runs of three or more consecutive days as ranges."""
    runs: list[list[int]] = []
    for day in days:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ",".join(
        f"{run[0]}-{run[-1]}" if len(run) > 2 else ",".join(map(str, run)) for run in runs
    )


def _join(parts: Iterable[str], separator: str = SUMMARY_SEPARATOR) -> str | None:
    unique = list(dict.fromkeys(parts))
    return separator.join(unique) if unique else None


def _number(value: float) -> str:
    return f"{value:g}"


def _event_text(normalized: dict) -> str:
    grade = normalized["grade"]
    return normalized["term"] + (f" (grade {grade})" if grade else "")


def _genetics_text(normalized: dict) -> str:
    status = normalized["status"]
    return normalized["name"] + (f" {status}" if status else "")


def _phenotype_text(normalized: dict) -> str:
    sign = "+" if normalized["expression"] == "positive" else "-"
    intensity = f"({normalized['intensity']})" if normalized.get("intensity") else ""
    return f"{normalized['marker']}{sign}{intensity}"


def _dose_text(normalized: dict) -> str:
    parts = [normalized.get("drug"), _number(normalized["value"]), normalized.get("unit")]
    parts += [normalized.get("route"), normalized.get("frequency")]
    days = normalized.get("days")
    if days:
        parts.append(f"day{'s' if len(days) > 1 else ''} {day_ranges(days)}")
    return " ".join(part for part in parts if part)


def _lab_text(normalized: dict) -> str:
    unit = normalized.get("unit") or ""
    glue = "" if unit.startswith("/") or unit == "%" else " "
    amount = f"{normalized.get('comparator') or ''}{_number(normalized['value'])}{glue}{unit}"
    return f"{normalized['analyte']} {amount.strip()}"
