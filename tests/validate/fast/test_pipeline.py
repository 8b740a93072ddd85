"""The one sequence every fast run starts with, and what each caller does when the rules
do not compile: a note on stderr, and the reference engine's answer instead."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from cdkg.model.namespaces import CDKG
from cdkg.publish.findings import RegistryValidation
from cdkg.rdf.read import load_graph
from cdkg.rdf.terms import to_rdflib
from cdkg.store import EmbeddedStore
from cdkg.validate.fast import pipeline
from cdkg.validate.reference import run_reference
from tests.load.test_batch import assert_same_content, stored
from tests.support.paths import EXAMPLES

CLASSIFYING = {rdflib.URIRef(CDKG + "initiativeType"), rdflib.URIRef(CDKG + "isCitizenData")}


@pytest.fixture
def rules_do_not_compile(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped shapes as if a rule could not be compiled (the engine's compiler is
    cached once per process, so every caller sees it)."""
    monkeypatch.setattr(pipeline.compiled(), "rule_problems", ["a rule the test breaks"])


def _examples() -> rdflib.Graph:
    return load_graph([str(EXAMPLES)])


def test_fast_outcome_opens_nothing_when_the_rules_do_not_compile(
    rules_do_not_compile: None, capsys: pytest.CaptureFixture[str]
) -> None:
    def never() -> object:
        raise AssertionError("the backend is opened although the rules do not compile")

    assert pipeline.fast_outcome(never, instead="the test goes on") is None  # type: ignore[arg-type]
    err = capsys.readouterr().err
    assert "cannot compile the rules (a rule the test breaks), so the test goes on" in err


def test_a_fast_run_gives_the_reference_report_instead(
    rules_do_not_compile: None, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _examples()
    fast = pipeline.run_fast(data)
    assert "the reference engine runs instead" in capsys.readouterr().err
    reference = run_reference(data)
    assert sorted(fast.report.results, key=lambda r: r.sort_key()) == sorted(
        reference.report.results, key=lambda r: r.sort_key()
    )


def test_a_fast_load_classifies_with_the_reference_engine_instead(
    tmp_path: Path, cli, request: pytest.FixtureRequest
) -> None:
    done = cli("load", str(EXAMPLES), "--store", str(tmp_path / "fast"), "--engine", "fast")
    assert done.code == 0, done.err
    request.getfixturevalue("rules_do_not_compile")
    broken = tmp_path / "broken"
    done = cli("load", str(EXAMPLES), "--store", str(broken), "--engine", "fast")
    assert done.code == 0, done.err
    assert "so the reference engine classifies" in done.err
    assert_same_content(stored(tmp_path / "fast"), stored(broken))


def test_a_publication_validates_and_classifies_with_the_reference_engine_instead(
    tmp_path: Path, cli, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]
) -> None:
    done = cli("load", str(EXAMPLES), "--store", str(tmp_path / "store"), "--engine", "fast")
    assert done.code == 0, done.err
    with EmbeddedStore(tmp_path / "store", create=False) as store:
        fast = RegistryValidation(store)
        request.getfixturevalue("rules_do_not_compile")
        instead = RegistryValidation(store)
    assert "the reference engine validates and classifies the registry" in capsys.readouterr().err
    assert instead.results == fast.results

    def classification(run: RegistryValidation) -> set[tuple[rdflib.term.Node, ...]]:
        return {
            (to_rdflib(s), to_rdflib(p), to_rdflib(o))
            for s, p, o in run.inferred
            if to_rdflib(p) in CLASSIFYING
        }

    assert classification(instead) == classification(fast)
    assert len(classification(fast)) >= 24  # type and verdict of the twelve examples
