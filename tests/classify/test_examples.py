"""Every example runs (CONVENTIONS 10): validated and classified with the verdict beside it.

``examples/expected.json`` states, per example file, whether it conforms and, per
initiative, its type number, the citizen-data verdict and the shapes of its findings. Each
example was written to be of a given type under the Contract 3 table, and the output was
checked against that; the findings record what the shapes say today. A change of verdict
or findings must be a deliberate change of this file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cdkg.classify.verdicts import classify
from cdkg.rdf.read import FORMATS_BY_EXTENSION, load_graph
from tests.support.paths import EXAMPLES

EXPECTED: dict[str, dict[str, object]] = json.loads(
    (EXAMPLES / "expected.json").read_text(encoding="utf-8")
)
FILES = sorted(
    p for p in EXAMPLES.iterdir() if p.suffix in FORMATS_BY_EXTENSION and p.name != "expected.json"
)


def test_every_example_has_an_expected_verdict_and_the_set_is_rich() -> None:
    assert {p.name for p in FILES} == set(EXPECTED)
    assert len(FILES) >= 12
    types = {i["typeNumber"] for e in EXPECTED.values() for i in e["initiatives"]}  # type: ignore[attr-defined]
    assert types == {1, 2, 3, 4, 5, 6}
    suffixes = {p.suffix for p in FILES}
    assert {".ttl", ".jsonld", ".yaml"} <= suffixes


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_example(path: Path) -> None:
    expected = EXPECTED[path.name]
    report = classify(load_graph([str(path)]))
    assert report.conforms is expected["conforms"]
    got = [
        {
            "iri": i.iri,
            "typeNumber": i.type_number,
            "isCitizenData": i.is_citizen_data,
            "findings": sorted(f.source_shape.rsplit("#", 1)[1] for f in i.findings),
        }
        for i in report.initiatives
    ]
    assert got == expected["initiatives"]
    for item in report.initiatives:
        assert item.title and item.reasons
    text = path.read_text(encoding="utf-8")
    assert "dct:source" in text, "every example says where its facts come from"
    assert "Copenhagen Framework on Citizen Data (2024), ¶" in text


def test_classify_examples_folder(cli) -> None:
    """`cdkg classify examples/` gives each example its expected type."""
    result = cli("classify", "--format", "json", str(EXAMPLES))
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    got = {i["iri"]: i["typeNumber"] for i in doc["initiatives"]}
    want = {
        i["iri"]: i["typeNumber"]
        for e in EXPECTED.values()
        for i in e["initiatives"]  # type: ignore[attr-defined]
    }
    assert got == want
    assert all(i["reasons"] for i in doc["initiatives"])
