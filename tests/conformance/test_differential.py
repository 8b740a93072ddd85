"""The fast engine gives the reference engine's verdicts (issue: registry-scale performance).

Same set of (focus node, source shape, severity, path, value, constraint component) and the
same classification of every initiative, on every example, every shape test case, generated
registries and hypothesis-built initiatives that probe the edges of the taxonomy rules.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cdkg.classify.verdicts import classify
from cdkg.model.namespaces import CDKG, VOCAB_BASE
from cdkg.rdf.read import FORMATS_BY_EXTENSION, load_graph
from cdkg.sources.synthetic import generate
from tests.support.paths import EXAMPLES, TEST_DATA

EXAMPLE_FILES = sorted(
    p for p in EXAMPLES.iterdir() if p.suffix in FORMATS_BY_EXTENSION and p.name != "expected.json"
)
SHAPE_CASES = sorted((TEST_DATA / "shapes").glob("*/*/*.ttl"))


def verdicts(graph: rdflib.Graph, engine: str) -> tuple[set[tuple[object, ...]], set[object]]:
    report = classify(graph, engine=engine)
    results = {
        (
            r.focus_node,
            r.source_shape,
            r.severity,
            r.result_path,
            r.value,
            r.source_constraint_component,
        )
        for r in report.validation.results
    }
    found = {(i.iri, i.initiative_type, i.is_citizen_data) for i in report.initiatives}
    return results, found


def assert_same(graph: rdflib.Graph) -> None:
    ref_results, ref_types = verdicts(graph, "reference")
    fast_results, fast_types = verdicts(graph, "fast")
    assert fast_types == ref_types
    assert fast_results == ref_results, {
        "only reference": sorted(map(str, ref_results - fast_results))[:5],
        "only fast": sorted(map(str, fast_results - ref_results))[:5],
    }


def test_the_walks_are_not_empty() -> None:
    assert len(EXAMPLE_FILES) >= 12
    assert len(SHAPE_CASES) >= 20


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_examples(path: Path) -> None:
    assert_same(load_graph([str(path)]))


@pytest.mark.parametrize(
    "path", SHAPE_CASES, ids=lambda p: "/".join(p.relative_to(TEST_DATA / "shapes").parts)
)
def test_shape_cases(path: Path) -> None:
    assert_same(rdflib.Graph().parse(path, format="turtle"))


@pytest.mark.slow
@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(min_value=0, max_value=10_000), n=st.integers(min_value=5, max_value=40))
def test_generated_registries(tmp_path_factory: pytest.TempPathFactory, seed: int, n: int) -> None:
    out = tmp_path_factory.mktemp("registry")
    generate(n, out=out, seed=seed, chunk_size=15)
    assert_same(load_graph([str(out)]))


# ------------------------------------------------------------------ rule edge cases

ACTOR_CLASSES = [
    "CitizenGroup", "Community", "CivilSocietyOrganisation", "NationalStatisticalOffice",
    "GovernmentAgency", "NationalHumanRightsInstitution", "AcademicInstitution",
    "PrivateSectorOrganisation", "InternationalOrganisation",
]  # fmt: skip
#: Beyond the cdkg classes: a subclass declared in the data, an untyped actor, a literal.
ACTOR_KINDS = [*ACTOR_CLASSES, "local-subclass", "untyped", "literal"]
STAGES = [
    "design", "design-objectives", "design-partnerships", "design-methodology",
    "design-access-use", "collection", "processing", "analysis-dissemination", "uptake",
    "impact-review", "unknown",
]  # fmt: skip

actor = st.tuples(st.sampled_from(ACTOR_KINDS), st.sampled_from([None, True, False]))
engagement = st.tuples(
    st.sampled_from(STAGES), st.integers(min_value=0, max_value=6), st.booleans()
)
initiative = st.fixed_dictionaries(
    {
        "initiators": st.lists(actor, max_size=3),
        "collaborators": st.lists(actor, max_size=2),
        "engagements": st.lists(engagement, max_size=4),
        "title": st.booleans(),
    }
)


def _actor_turtle(iri: str, kind: str, direct: bool | None) -> tuple[str, str]:
    """(object to use, description triples)."""
    if kind == "literal":
        return '"Some Group"', ""
    lines = []
    if kind == "local-subclass":
        lines.append(f"<{iri}> a <urn:ex:YouthClub> .")
        lines.append(
            "<urn:ex:YouthClub> <http://www.w3.org/2000/01/rdf-schema#subClassOf> "
            f"<{CDKG.CitizenGroup}> ."
        )
    elif kind != "untyped":
        lines.append(f"<{iri}> a <{CDKG[kind]}> .")
    if direct is not None:
        lines.append(f"<{iri}> <{CDKG.directlyEngagesCitizens}> {'true' if direct else 'false'} .")
    return f"<{iri}>", "\n".join(lines)


def initiative_turtle(spec: dict[str, object], k: int = 0) -> str:
    iri = f"urn:ex:initiative{k}"
    out = [f"<{iri}> a <{CDKG.Initiative}> ."]
    if spec["title"]:
        out.append(f'<{iri}> <http://purl.org/dc/terms/title> "Initiative {k}" .')
    for role, prop in (("initiators", CDKG.initiatedBy), ("collaborators", CDKG.collaborator)):
        for j, (kind, direct) in enumerate(spec[role]):  # type: ignore[attr-defined]
            obj, desc = _actor_turtle(f"urn:ex:{role}{k}-{j}", kind, direct)
            out.append(f"<{iri}> <{prop}> {obj} .")
            out.append(desc)
    for j, (stage, level, engaged) in enumerate(spec["engagements"]):  # type: ignore[attr-defined]
        e = f"urn:ex:engagement{k}-{j}"
        out.append(f"<{iri}> <{CDKG.hasEngagement}> <{e}> .")
        out.append(f"<{e}> <{CDKG.stage}> <{VOCAB_BASE}stage/{stage}> .")
        if level:
            out.append(
                f"<{e}> <{CDKG.participationLevel}> <{VOCAB_BASE}participation-level/{level}> ."
            )
        if engaged:
            out.append(f"<{e}> <{CDKG.engagedActor}> <urn:ex:citizens{k}> .")
            out.append(f"<urn:ex:citizens{k}> a <{CDKG.CitizenGroup}> .")
    return "\n".join(out) + "\n"


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(specs=st.lists(initiative, min_size=1, max_size=3))
def test_rule_edge_cases(specs: list[dict[str, object]]) -> None:
    text = "".join(initiative_turtle(s, k) for k, s in enumerate(specs))
    assert_same(rdflib.Graph().parse(data=text, format="turtle"))
