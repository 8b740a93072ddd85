"""``cdkg/model/namespaces.py`` is generated from the ontology and never drifts (CONVENTIONS 11)."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from cdkg.model import codegen
from cdkg.model.namespaces import CDKG, INITIATIVE_TYPE, PARTICIPATION_LEVEL, PREFIXES, STAGE


def test_committed_module_matches_the_ontology() -> None:
    committed = codegen.TARGET.read_text(encoding="utf-8")
    assert committed == codegen.render(), (
        f"cdkg/model/namespaces.py is out of date with ontology/ — run: {codegen.COMMAND}"
    )
    assert codegen.main(["--check"]) == 0


def test_declared_terms_resolve() -> None:
    assert CDKG.Initiative == URIRef("https://w3id.org/cdkg/ontology#Initiative")
    assert CDKG["addressesSdg"] == URIRef("https://w3id.org/cdkg/ontology#addressesSdg")
    assert STAGE["design-objectives"] == URIRef(
        "https://w3id.org/cdkg/vocab/stage/design-objectives"
    )
    assert PARTICIPATION_LEVEL["4"] == URIRef("https://w3id.org/cdkg/vocab/participation-level/4")
    assert INITIATIVE_TYPE["civic-action"] in INITIATIVE_TYPE
    assert PREFIXES["cdkg"] == "https://w3id.org/cdkg/ontology#"


def test_misspelt_terms_fail_loudly() -> None:
    with pytest.raises(AttributeError):
        _ = CDKG.Initiatve
    with pytest.raises(AttributeError):
        _ = STAGE["colection"]
    with pytest.raises(AttributeError):
        _ = PARTICIPATION_LEVEL["6"]


def test_check_reports_drift(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(codegen, "render", lambda: "# something else\n")
    assert codegen.main(["--check"]) == 1
