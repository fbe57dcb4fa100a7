"""Canonical marker names: `cd79A` gives `CD79a`; named markers through the vocabulary."""

from __future__ import annotations

import re

_CD = re.compile(r"^cd(\d+)([a-z]?)$", re.I)


def canonical_marker(written: str, forms: dict[str, str]) -> str:
    """`CD` + digits + lower-case letter suffix, else the vocabulary's canonical name."""
    cd = _CD.match(written.strip())
    if cd:
        return f"CD{cd.group(1)}{cd.group(2).lower()}"
    if written in forms:
        return forms[written]
    lowered = {form.lower(): name for form, name in forms.items()}
    return lowered.get(written.lower(), written)
