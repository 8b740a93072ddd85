"""The generated ontology reference under docs/ontology/ is current and complete."""

from __future__ import annotations

import html
from xml.etree import ElementTree

import pytest

from cdkg.model import docgen
from cdkg.model.ontology import ontology_graph
from cdkg.model.vocab import concepts, schemes


@pytest.mark.parametrize("name", sorted(docgen.OUTPUTS))
def test_generated_file_is_current(name: str) -> None:
    path = docgen.DOCS / name
    assert path.is_file(), f"missing {path} — run: {docgen.COMMAND}"
    assert path.read_text(encoding="utf-8") == docgen.OUTPUTS[name](None), (
        f"{path} is out of date with ontology/ — run: {docgen.COMMAND}"
    )


def test_reference_lists_every_term_and_concept() -> None:
    text = (docgen.DOCS / "index.html").read_text(encoding="utf-8")
    g = ontology_graph()
    terms = {
        str(s)[len(docgen.CDKG_NS) :] for s in g.subjects() if str(s).startswith(docgen.CDKG_NS)
    }
    for term in terms:
        assert f'id="{term}"' in text, term
    for scheme in schemes():
        if scheme.iri.startswith(docgen.VOCAB_BASE):
            for concept in concepts(scheme.name):
                code = concept.iri.rsplit("/", 1)[1]
                assert f'id="{html.escape(scheme.name)}-{html.escape(code)}"' in text, concept.iri


def test_overview_is_well_formed_svg() -> None:
    root = ElementTree.parse(docgen.DOCS / "overview.svg").getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    labels = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {"cdkg:Initiative", "cdkg:Engagement", "cdkg:Actor"} <= labels


def test_check_reports_stale_files(monkeypatch: pytest.MonkeyPatch) -> None:
    assert docgen.main(["--check"]) == 0
    monkeypatch.setitem(docgen.OUTPUTS, "overview.svg", lambda _g: "<svg/>\n")
    assert docgen.main(["--check"]) == 1
