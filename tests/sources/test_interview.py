"""cdkg assess at a real terminal (pexpect): plain questions, re-asking invalid answers."""

from __future__ import annotations

import sys
from pathlib import Path

import pexpect
import pytest
from rdflib import URIRef
from rdflib.namespace import RDF

from cdkg.model.namespaces import CDKG
from cdkg.rdf.read import load_graph
from cdkg.sources.records import levels, stages
from tests.support.paths import REPO

pytestmark = pytest.mark.slow


def _spawn(*args: str) -> pexpect.spawn:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "cdkg", "assess", *args],
        cwd=str(REPO),
        encoding="utf-8",
        timeout=30,
        dimensions=(50, 200),
    )
    return child


def test_interactive_questionnaire(tmp_path: Path) -> None:
    out = tmp_path / "river.ttl"
    child = _spawn("--out", str(out), "--base-iri", "https://example.org/i/")
    try:
        child.expect("What is the initiative called?")
        child.sendline("River Friends Count")
        child.expect(r"what does it do\? \(optional\)")
        child.sendline("")
        child.expect("Who started it?")
        child.sendline("River Friends")
        child.expect("What kind of actor is River Friends?")
        child.expect("Type a number")
        child.sendline("Fishermen")
        child.expect("Sorry, 'Fishermen' is not allowed")  # re-asked, not a crash
        child.expect("Type a number")
        child.sendline("Community")
        child.expect("Did anyone else start it")
        child.sendline("")
        child.expect("Who else takes part")
        child.sendline("")
        # the ladder's descriptions come from the vocabulary
        for level in levels().choices:
            assert level.definition
            child.expect_exact(level.definition.split(",")[0][:40])
        main_stages = [s for s in stages().choices if s.broader is None]
        answers = {"design": ["9", "5"], "collection": ["5"]}
        for stage in main_stages:
            child.expect_exact(f"Stage: {stage.label}")
            for i, answer in enumerate(answers.get(stage.code, [""])):
                child.expect("How much say do citizens have here?")
                child.sendline(answer)
                if i == 0 and len(answers.get(stage.code, [])) > 1:
                    child.expect("Sorry, '9' is not allowed")
        child.expect("Which Sustainable Development Goals")
        child.sendline("6.3")
        child.expect("In which countries?")
        child.sendline("UGA")
        child.expect("is citizen data")
        child.expect("Type 1 of 6")
        child.expect("Description written to")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0, child.before
    graph = load_graph([str(out)])
    river = URIRef("https://example.org/i/river-friends-count")
    assert (river, RDF.type, CDKG.Initiative) in graph
    assert len(list(graph.objects(river, CDKG.hasEngagement))) == 2


def test_interactive_end_of_input_is_a_clear_error() -> None:
    child = _spawn()
    try:
        child.expect("What is the initiative called?")
        child.sendeof()
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 2
    assert "the questions ended before they were all answered" in child.before


SETTLE_DESCRIPTION = """@prefix cdkg: <https://w3id.org/cdkg/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<https://example.org/i/study> a cdkg:Initiative ; dct:title "Air quality study" ;
    cdkg:initiatedBy <https://example.org/i/uni> .
<https://example.org/i/uni> a cdkg:AcademicInstitution ; foaf:name "City University" .
"""


def _registry(tmp_path: Path) -> Path:
    from cdkg.load.loader import load
    from cdkg.store import open_store

    source = tmp_path / "study.ttl"
    source.write_text(SETTLE_DESCRIPTION, encoding="utf-8")
    with open_store(tmp_path / "store") as store:
        load(store, [str(source)])
    return tmp_path / "store"


def test_interactive_settling_asks_only_what_would_decide(tmp_path: Path) -> None:
    store = _registry(tmp_path)
    child = _spawn("--initiative", "https://example.org/i/study", "--store", str(store))
    try:
        child.expect("Verdict now: to be assessed")
        child.expect_exact("[ ] How much say citizens have in designing the data work")
        child.expect("How much say do citizens have in designing the data work?")
        child.sendline("9")
        child.expect("Sorry, '9' is not allowed")
        child.expect("How much say do citizens have in designing the data work?")
        child.sendline("?")  # don't know
        child.expect("How much say do citizens have in collecting the data?")
        child.sendline("2")
        child.expect("Is it citizen data?")
        child.sendline("maybe")
        child.expect("Sorry, 'maybe' is not allowed")
        child.expect("Is it citizen data?")
        child.sendline("not citizen data")
        child.expect("Who is assessing?")
        child.sendline("Registry keeper")
        child.expect("Why?")
        child.sendline("The university decided the sites alone.")
        child.expect("citizens' say in design: not known")
        child.expect("assessment: not citizen data, by Registry keeper")
        child.expect("Verdict: Air quality study is not citizen data.")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0, child.before


def test_interactive_settling_ended_early_changes_nothing(tmp_path: Path) -> None:
    from cdkg.store import open_store

    store = _registry(tmp_path)
    with open_store(store, create=False) as opened:
        before = sorted(str(q) for q in opened.quads())
    child = _spawn("--initiative", "https://example.org/i/study", "--store", str(store))
    try:
        child.expect("How much say do citizens have in designing the data work?")
        child.sendeof()
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 2
    assert "nothing was changed" in child.before
    with open_store(store, create=False) as opened:
        assert sorted(str(q) for q in opened.quads()) == before


def test_interactive_questionnaire_can_end_in_to_be_assessed(tmp_path: Path) -> None:
    out = tmp_path / "study.ttl"
    child = _spawn("--out", str(out), "--base-iri", "https://example.org/i/")
    try:
        child.expect("What is the initiative called?")
        child.sendline("Air quality study")
        child.expect(r"what does it do\? \(optional\)")
        child.sendline("")
        child.expect("Who started it?")
        child.sendline("City University")
        child.expect("Type a number")
        child.sendline("Academic institution")
        child.expect("Did anyone else start it")
        child.sendline("")
        child.expect("Who else takes part")
        child.sendline("")
        child.expect("Answer \\? when you do not know")
        for stage in [s for s in stages().choices if s.broader is None]:
            child.expect_exact(f"Stage: {stage.label}")
            child.expect(r"\? if you do not know; Enter if they take no part")
            child.sendline("don't know" if stage.code == "design" else "?")
        child.expect("Which Sustainable Development Goals")
        child.sendline("")
        child.expect("In which countries?")
        child.sendline("")
        child.expect_exact("Verdict: Air quality study is to be assessed")
        child.expect_exact("Type: none yet")
        child.expect_exact("What would decide it:")
        child.expect_exact("[ ] How much say citizens have in designing the data work")
        child.expect_exact("cdkg assess --initiative https://example.org/i/air-quality-study")
        child.expect("Description written to")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0, child.before
    graph = load_graph([str(out)])
    study = URIRef("https://example.org/i/air-quality-study")
    assert not list(graph.objects(study, CDKG.hasEngagement))
