"""Reasons said "initiated by a citizens (…)": a plural actor label took the article "a"."""

from __future__ import annotations

from cdkg.classify.verdicts import classify
from cdkg.rdf.read import load_graph
from tests.support.paths import EXAMPLES


def test_citizen_group_reason_reads_as_english() -> None:
    (item,) = classify(load_graph([str(EXAMPLES / "harassmap.yaml")])).initiatives
    first = item.reasons[0]
    assert first.startswith("Initiated by citizens ("), first
    assert "a citizens" not in " ".join(item.reasons)
