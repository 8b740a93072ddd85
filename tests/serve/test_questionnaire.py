"""The questionnaire as a web form (/assess): same questions, same verdicts as `cdkg assess`."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from cdkg.load.loader import load
from cdkg.sources.questionnaire import answers_to_record, assess
from cdkg.sources.records import levels, stages
from cdkg.store import open_store
from tests.support.webfixtures import LiveServer, example_store, serving

pytestmark = pytest.mark.server

#: (answers as an answers file says them, the form fields that say the same)
CASES: dict[str, tuple[dict[str, Any], dict[str, str]]] = {
    "civic-action": (
        {
            "title": "Lake water watch",
            "initiators": [{"name": "Lakeside fishers", "type": "Community"}],
            "participation": {"design": "5", "collection": "5"},
            "sdgs": "6",
        },
        {
            "title": "Lake water watch",
            "initiators-1-name": "Lakeside fishers",
            "initiators-1-type": "Community",
            "level-design": "5",
            "level-collection": "5",
            "sdgs": "6",
        },
    ),
    "nso-driven": (
        {
            "title": "Disability statistics with organisations of persons with disabilities",
            "initiators": [{"name": "Statistics office", "type": "National statistical office"}],
            "collaborators": [{"name": "Disability forum", "type": "Civil society organisation"}],
            "participation": {"design": "4", "collection": "4"},
        },
        {
            "title": "Disability statistics with organisations of persons with disabilities",
            "initiators-1-name": "Statistics office",
            "initiators-1-type": "National statistical office",
            "collaborators-1-name": "Disability forum",
            "collaborators-1-type": "Civil society organisation",
            "level-design": "4",
            "level-collection": "4",
        },
    ),
    "unknown-participation": (
        {
            "title": "Air quality study",
            "initiators": [{"name": "City University", "type": "Academic institution"}],
            "participation": {"design": "?", "collection": "?", "uptake": "3"},
        },
        {
            "title": "Air quality study",
            "initiators-1-name": "City University",
            "initiators-1-type": "Academic institution",
            "level-design": "?",
            "level-collection": "?",
            "level-uptake": "3",
        },
    ),
    "respondents-only": (
        {
            "title": "Household survey outreach",
            "initiators": [{"name": "Statistics office", "type": "National statistical office"}],
            "participation": {"collection": "2"},
        },
        {
            "title": "Household survey outreach",
            "initiators-1-name": "Statistics office",
            "initiators-1-type": "National statistical office",
            "level-collection": "2",
        },
    ),
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    store_dir = example_store(tmp_path_factory.mktemp("assess"))
    with open_store(store_dir, create=False) as store, serving(store) as live:
        yield live


def test_form_shows_the_ladder_and_the_stages(server: LiveServer) -> None:
    page = httpx.get(server.url + "/assess", timeout=30)
    assert page.status_code == 200
    text = html.unescape(page.text)
    for level in levels().choices:
        assert level.label in text and (level.definition or "")[:40] in text
    for stage in stages().choices:
        if not stage.broader:
            assert f'for="level-{stage.code}"' in page.text
    assert """<option value="?">don't know</option>""" in text  # unknown is not no


@pytest.mark.parametrize("case", sorted(CASES))
def test_form_gives_the_verdict_of_the_answers_file(server: LiveServer, case: str) -> None:
    answers, fields = CASES[case]
    expected = assess(answers_to_record(answers)).verdict
    page = httpx.post(server.url + "/assess", data=fields, timeout=60)
    assert page.status_code == 200, page.text[-2000:]
    text = html.unescape(page.text)
    words = " ".join(text.split())
    summary = {
        "citizen-data": "citizen data",
        "not-citizen-data": "not citizen data",
        "to-be-assessed": "to be assessed",
    }[expected.verdict]
    assert f"Result: {summary}" in words
    if expected.type_number is None:
        assert "no type yet" in words and "(type None" not in words
    else:
        assert f"(type {expected.type_number} of 6)" in words
    for reason in expected.reasons:
        assert reason in text
    for missing in expected.missing:
        assert missing.message in text
    assert ("What would decide it" in text) is (expected.verdict == "to-be-assessed")
    assert "cdkg:initiatedBy" in text  # the description, as Turtle


def test_bad_answers_name_the_question_and_keep_what_was_typed(server: LiveServer) -> None:
    fields = {
        "title": "Half-filled",
        "initiators-1-name": "Somebody",
        "level-collection": "4",
        "sdgs": "99",
    }
    page = httpx.post(server.url + "/assess", data=fields, timeout=30)
    assert page.status_code == 400
    text = html.unescape(page.text)
    assert 'role="alert"' in page.text
    assert "initiators[1]" in text and "sdgs" in text
    assert 'value="Half-filled"' in page.text


# --------------------------------------------------------------------------- settling a case

TOKEN = "settle-token-for-tests"
OPEN = """@prefix cdkg: <https://w3id.org/cdkg/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix ex: <https://example.org/i/> .
ex:study a cdkg:Initiative ; dct:title "Air quality study" ; cdkg:initiatedBy ex:uni .
ex:noise a cdkg:Initiative ; dct:title "Noise study" ; cdkg:initiatedBy ex:uni .
ex:uni a cdkg:AcademicInstitution ; foaf:name "City University" .
ex:river a cdkg:Initiative ; dct:title "River count" ; cdkg:initiatedBy ex:fishers .
ex:fishers a cdkg:Community ; foaf:name "Fishers" .
"""
STUDY = "https://example.org/i/study"
NOISE = "https://example.org/i/noise"
RIVER = "https://example.org/i/river"
ANSWERS = {
    "participation.design": "?",
    "participation.collection": "?",
    "outcome": "citizen data",
    "assessed_by": "Registry keeper",
    "reason": "Residents chose the monitoring sites.",
}


def _open_store(folder: Path) -> Path:
    source = folder / "open.ttl"
    source.write_text(OPEN, encoding="utf-8")
    with open_store(folder / "store") as store:
        load(store, [str(source)])
    return folder / "store"


@pytest.fixture(scope="module")
def keeper(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    store_dir = _open_store(tmp_path_factory.mktemp("settle"))
    with open_store(store_dir, create=False) as store, serving(store, update_token=TOKEN) as live:
        yield live


@pytest.fixture(scope="module")
def read_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    store_dir = _open_store(tmp_path_factory.mktemp("settle-ro"))
    with open_store(store_dir, create=False) as store, serving(store) as live:
        yield live


def _verdict(server: LiveServer, iri: str) -> str:
    query = (
        "PREFIX cdkg: <https://w3id.org/cdkg/ontology#> "
        f"SELECT ?v WHERE {{ GRAPH ?g {{ <{iri}> cdkg:verdict ?v }} }}"
    )
    r = httpx.get(
        server.url + "/sparql",
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.status_code == 200, r.text
    rows = r.json()["results"]["bindings"]
    assert len(rows) == 1, rows
    return str(rows[0]["v"]["value"]).rsplit("/", 1)[-1]


def test_settle_page_shows_the_case_and_asks_only_what_would_decide(keeper: LiveServer) -> None:
    page = httpx.get(keeper.url + "/assess/settle", params={"initiative": NOISE}, timeout=60)
    assert page.status_code == 200, page.text[-2000:]
    text = " ".join(html.unescape(page.text).split())
    assert "What the registry holds now: to be assessed" in text
    assert "no type yet" in text
    assert "How much say citizens have in designing the data work" in text  # missing facts
    assert 'name="participation.design"' in page.text
    assert 'name="participation.collection"' in page.text
    assert 'name="engages_citizens_directly' not in page.text  # not missing here
    assert 'type="password" id="token" name="token"' in page.text
    assert 'name="outcome" value="citizen data"' in page.text


def test_settle_page_for_a_decided_or_unknown_initiative(keeper: LiveServer) -> None:
    decided = httpx.get(keeper.url + "/assess/settle", params={"initiative": RIVER}, timeout=60)
    assert decided.status_code == 200
    assert 'id="nothing-to-settle"' in decided.text
    assert 'name="token"' not in decided.text
    unknown = httpx.get(
        keeper.url + "/assess/settle", params={"initiative": "https://example.org/i/x"}
    )
    assert unknown.status_code == 404
    assert "no initiative with this IRI" in unknown.text
    assert httpx.get(keeper.url + "/assess/settle").status_code == 400


@pytest.mark.parametrize("token", [None, "", "wrong-token", TOKEN + "x"])
def test_settling_without_the_token_is_refused(keeper: LiveServer, token: str | None) -> None:
    data = {"initiative": NOISE, **ANSWERS}
    if token is not None:
        data["token"] = token
    r = httpx.post(keeper.url + "/assess/settle", data=data, timeout=60)
    assert r.status_code == 401, r.text[-1000:]
    assert r.headers["www-authenticate"] == "Bearer"
    assert _verdict(keeper, NOISE) == "to-be-assessed"


def test_a_token_in_a_cookie_does_not_count(keeper: LiveServer) -> None:
    """Cross-site requests carry cookies: the token must be in the form post itself."""
    r = httpx.post(
        keeper.url + "/assess/settle",
        data={"initiative": NOISE, **ANSWERS},
        cookies={"token": TOKEN},
        timeout=60,
    )
    assert r.status_code == 401
    assert _verdict(keeper, NOISE) == "to-be-assessed"


def test_a_read_only_registry_refuses_settling(read_only: LiveServer) -> None:
    page = httpx.get(read_only.url + "/assess/settle", params={"initiative": STUDY}, timeout=60)
    assert page.status_code == 403
    r = httpx.post(
        read_only.url + "/assess/settle",
        data={"initiative": STUDY, "token": TOKEN, **ANSWERS},
        timeout=60,
    )
    assert r.status_code == 403
    assert "read-only" in r.text
    assert _verdict(read_only, STUDY) == "to-be-assessed"


def test_settling_with_the_token_stores_the_assessment(keeper: LiveServer) -> None:
    assert _verdict(keeper, STUDY) == "to-be-assessed"
    r = httpx.post(
        keeper.url + "/assess/settle",
        data={"initiative": STUDY, "token": TOKEN, **ANSWERS},
        timeout=120,
    )
    assert r.status_code == 200, r.text[-2000:]
    text = " ".join(html.unescape(r.text).split())
    assert "Settled: citizen data" in text
    assert "assessment: citizen data, by Registry keeper on " in text
    assert "(type 5 of 6)" in text
    assert TOKEN not in r.text  # the token is never sent back
    assert _verdict(keeper, STUDY) == "citizen-data"
    # settled now: a second post is refused, nothing changes
    again = httpx.post(
        keeper.url + "/assess/settle",
        data={"initiative": STUDY, "token": TOKEN, **ANSWERS, "outcome": "not citizen data"},
        timeout=120,
    )
    assert again.status_code == 409
    assert _verdict(keeper, STUDY) == "citizen-data"


def test_bad_answers_are_named_and_nothing_is_stored(keeper: LiveServer) -> None:
    r = httpx.post(
        keeper.url + "/assess/settle",
        data={
            "initiative": NOISE,
            "token": TOKEN,
            "participation.design": "9",
            "assessed_by": "keeper@example.org",
            "reason": "Kept as typed.",
        },
        timeout=120,
    )
    assert r.status_code == 400
    text = html.unescape(r.text)
    assert 'role="alert"' in r.text
    assert "participation.design: '9' is not allowed" in text
    assert "outcome: missing" in text
    assert "assessed_by: contact details are not recorded" in text
    assert "Kept as typed." in text  # what was typed is kept
    assert TOKEN not in r.text
    assert _verdict(keeper, NOISE) == "to-be-assessed"
    decided = httpx.post(
        keeper.url + "/assess/settle",
        data={"initiative": RIVER, "token": TOKEN, **ANSWERS},
        timeout=120,
    )
    assert decided.status_code == 409
    assert _verdict(keeper, RIVER) == "citizen-data"
