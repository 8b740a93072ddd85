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
