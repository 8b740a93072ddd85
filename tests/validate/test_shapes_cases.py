"""Every shape is tested by data (CONVENTIONS 1).

``tests/data/shapes/<Shape>/valid/*.ttl`` must produce no result from ``cdkgsh:<Shape>``;
``invalid/*.ttl`` must produce exactly the results its ``# expect:`` header lines state
(focus node, result path or ``-``, severity), all with ``cdkgsh:<Shape>`` as source shape.
A meta-test fails when a shape that can report has no cases, or the walk is empty.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, SH

from cdkg.model.namespaces import CDKGSH
from cdkg.validate.reference import shapes_graph, validate
from tests.support.paths import TEST_DATA

CASES_DIR = TEST_DATA / "shapes"
EXPECT = re.compile(r"^# expect: focus=(\S+) path=(\S+) severity=(Violation|Warning|Info)\s*$")
#: Parameters that make a shape report by itself (besides sh:property / sh:node containers).
CONSTRAINTS = {
    SH.sparql, SH.minCount, SH.maxCount, SH["class"], SH.datatype, SH["in"], SH.nodeKind,
    SH.pattern, SH.hasValue, SH.node,
}  # fmt: skip
TARGETS = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf}


def _cases() -> list[Path]:
    return sorted(CASES_DIR.glob("*/*/*.ttl"))


def _id(path: Path) -> str:
    return "/".join(path.relative_to(CASES_DIR).with_suffix("").parts)


def reporting_shapes() -> set[str]:
    """Local names of the shapes that can be the sh:sourceShape of a result."""
    g = shapes_graph()
    targeted = {s for t in TARGETS for s in g.subjects(t, None)}
    found: set[str] = set()
    for shape in targeted:
        if any((shape, p, None) in g for p in CONSTRAINTS):
            found.add(str(shape))
        for prop in g.objects(shape, SH.property):
            if any((prop, p, None) in g for p in CONSTRAINTS):
                found.add(str(prop))
    return {s.removeprefix(str(CDKGSH)) for s in found}


def _expected(path: Path, graph: rdflib.Graph) -> Counter[tuple[str, str | None, str]]:
    nm = graph.namespace_manager
    found: Counter[tuple[str, str | None, str]] = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        m = EXPECT.match(line)
        if m:
            focus = str(nm.expand_curie(m.group(1)))
            result_path = None if m.group(2) == "-" else str(nm.expand_curie(m.group(2)))
            found[(focus, result_path, str(SH[m.group(3)]))] += 1
    return found


@pytest.mark.parametrize("path", _cases(), ids=_id)
def test_shape_case(path: Path) -> None:
    shape_name, kind = path.parent.parent.name, path.parent.name
    shape = str(CDKGSH[shape_name])
    graph = rdflib.Graph().parse(path, format="turtle")
    report = validate(graph)
    got = Counter(
        (r.focus_node, r.result_path, r.severity) for r in report.results if r.source_shape == shape
    )
    if kind == "valid":
        assert not got, f"{shape_name} reported on a valid case: {report.to_json()['results']}"
    else:
        expected = _expected(path, graph)
        assert expected, f"{path} states no '# expect:' line"
        assert got == expected


def test_walk_is_not_empty_and_every_shape_has_cases() -> None:
    cases = _cases()
    assert len(cases) >= 60
    dirs = {p.parent.parent.name for p in cases}
    kinds = {(p.parent.parent.name, p.parent.name) for p in cases}
    shapes = reporting_shapes()
    assert len(shapes) >= 30
    missing = sorted(s for s in shapes for k in ("valid", "invalid") if (s, k) not in kinds)
    assert not missing, f"shapes without valid or invalid cases: {missing}"
    assert not sorted(dirs - shapes), "case folders that name no reporting shape"


def test_every_case_kind_folder_is_valid_or_invalid() -> None:
    assert {p.parent.name for p in _cases()} == {"valid", "invalid"}


def test_clean_description_has_no_results_at_all() -> None:
    """The description every case starts from passes every shape."""
    path = CASES_DIR / "InitiativeTitle" / "valid" / "has-title.ttl"
    report = validate(rdflib.Graph().parse(path, format="turtle"))
    assert report.results == []


def test_every_shape_and_rule_has_an_iri_and_documentation() -> None:
    """Contract 4: no blank-node shapes; every shape is named, described and explained."""
    g = shapes_graph()
    shapes = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
    shapes |= set(g.objects(None, SH.property)) | set(g.objects(None, SH.node))
    shapes |= set(g.subjects(RDF.type, SH.SPARQLRule))
    assert len(shapes) > 40
    for shape in shapes:
        assert isinstance(shape, rdflib.URIRef), (
            f"blank-node shape: {list(g.predicate_objects(shape))}"
        )
        assert str(shape).startswith(str(CDKGSH))
        for prop in (SH.name, SH.description, rdflib.RDFS.seeAlso):
            assert (shape, prop, None) in g, f"{shape} has no {prop}"
        if (shape, RDF.type, SH.SPARQLRule) not in g:
            messages = [m for m in g.objects(shape, SH.message) if m.language == "en"]
            assert messages, f"{shape} has no English sh:message"
    for constraint in g.objects(None, SH.sparql):
        assert isinstance(constraint, rdflib.URIRef)
        assert (constraint, SH.message, None) in g


def test_contract3_finding_shapes_exist_with_their_severity() -> None:
    g = shapes_graph()
    expected = {
        "CivicSelfDetermination": SH.Warning,
        "JointPartnership": SH.Warning,
        "UptakeAndReviewEngagement": SH.Info,
        "CaseByCaseCSO": SH.Warning,
    }
    for name, severity in expected.items():
        assert (CDKGSH[name], SH.severity, severity) in g
