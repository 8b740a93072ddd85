"""`cdkg status`: initiatives by verdict and by type, adding up with the ones that have
no type (DESIGN Contract 3 revision 2: to be assessed, rows 7 to 9)."""

from __future__ import annotations

import json

import pytest

from cdkg.load.loader import load
from cdkg.model.namespaces import INITIATIVE_TYPE, VERDICT
from cdkg.query.status import status
from cdkg.store import EmbeddedStore
from tests.support.paths import TEST_DATA

REGISTRY = TEST_DATA / "queries" / "registry"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("status") / "store"
    with EmbeddedStore(path) as store:
        load(store, [str(REGISTRY)])
    return path


def test_counts_by_verdict_and_type_add_up(store_path):
    with EmbeddedStore(store_path) as store:
        report = status(store)
    assert report.initiatives == 10
    assert (report.citizen_data, report.not_citizen_data, report.to_be_assessed) == (5, 2, 3)
    assert [(v.verdict, v.label, v.count) for v in report.by_verdict] == [
        (str(VERDICT["citizen-data"]), "Citizen data", 5),
        (str(VERDICT["not-citizen-data"]), "Not citizen data", 2),
        (str(VERDICT["to-be-assessed"]), "To be assessed", 3),
    ]
    assert sum(t.count for t in report.by_type) == report.initiatives
    by_type = {t.type: t for t in report.by_type}
    civic = by_type[str(INITIATIVE_TYPE["civic-action"])]
    assert civic.count == 2 and civic.verdicts == {"citizen-data": 1, "to-be-assessed": 1}
    untyped = report.by_type[-1]
    assert untyped.type is None and untyped.count == 2
    assert untyped.verdicts == {"to-be-assessed": 2}


def test_status_text_and_json(cli, store_path):
    text = cli("status", "--store", str(store_path))
    assert text.code == 0, text.err
    assert "initiatives:  10 (5 citizen data, 2 not citizen data, 3 to be assessed)" in text.out
    lines = text.out.splitlines()
    verdicts = lines[lines.index("by verdict:") + 1 : lines.index("by type:")]
    assert [line.split(None, 1) for line in verdicts] == [
        ["5", "Citizen data"],
        ["2", "Not citizen data"],
        ["3", "To be assessed"],
    ]
    types = lines[lines.index("by type:") + 1 :]
    assert types[0].split(None, 1) == ["2", "Civic action (1 to be assessed)"]
    assert types[-1].split(None, 1) == ["2", "no type (2 to be assessed)"]
    assert sum(int(line.split()[0]) for line in types) == 10
    doc = json.loads(cli("status", "--store", str(store_path), "--format", "json").out)
    assert doc["to_be_assessed"] == 3
    assert doc["by_type"][-1] == {
        "type": None,
        "label": None,
        "count": 2,
        "verdicts": {"to-be-assessed": 2},
    }
    assert sum(v["count"] for v in doc["by_verdict"]) == doc["initiatives"]


def test_an_empty_store_lists_every_verdict_at_zero(tmp_path):
    with EmbeddedStore(tmp_path / "store") as store:
        report = status(store)
    assert report.initiatives == 0
    assert [v.count for v in report.by_verdict] == [0, 0, 0]
    assert [(t.type, t.count) for t in report.by_type] == [(None, 0)]
