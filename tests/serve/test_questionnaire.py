"""The questionnaire as a web form (/assess): same questions, same verdicts as `cdkg assess`."""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

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


@pytest.mark.parametrize("case", sorted(CASES))
def test_form_gives_the_verdict_of_the_answers_file(server: LiveServer, case: str) -> None:
    answers, fields = CASES[case]
    expected = assess(answers_to_record(answers)).verdict
    page = httpx.post(server.url + "/assess", data=fields, timeout=60)
    assert page.status_code == 200, page.text[-2000:]
    text = html.unescape(page.text)
    assert f"(type {expected.type_number} of 6)" in " ".join(text.split())
    assert ("Not citizen data" in text) is (not expected.is_citizen_data)
    for reason in expected.reasons:
        assert reason in text
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
