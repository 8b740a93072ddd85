"""Settling a to-be-assessed case in a real headless Chromium: the form is accessible, asks
only what would decide the case, and stores the assessment with the update token."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cdkg.load.loader import load
from cdkg.store import open_store
from tests.support.webfixtures import LiveServer, serving

pytest_plugins = ["tests.support.browser"]  # fixtures: browser, page, screenshot, axe_violations
pytestmark = [pytest.mark.browser, pytest.mark.server]
TOKEN = "settle-token-for-browser-tests"
DESCRIPTION = """@prefix cdkg: <https://w3id.org/cdkg/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<https://example.org/i/study> a cdkg:Initiative ; dct:title "Air quality study" ;
    cdkg:initiatedBy <https://example.org/i/uni> .
<https://example.org/i/uni> a cdkg:AcademicInstitution ; foaf:name "City University" .
"""
PAGE = "/assess/settle?initiative=https://example.org/i/study"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder: Path = tmp_path_factory.mktemp("settle-browser")
    source = folder / "study.ttl"
    source.write_text(DESCRIPTION, encoding="utf-8")
    with open_store(folder / "store") as store:
        load(store, [str(source)])
        with serving(store, update_token=TOKEN) as live:
            yield live


def test_settle_form_in_a_browser(
    server: LiveServer,
    page: Page,
    screenshot: Callable[[Page, str], Path],
    axe_violations: Callable[[Page], list[object]],
) -> None:
    page.goto(server.url + PAGE)
    expect(page.locator("#current .verdict-line")).to_contain_text("To be assessed")
    assert axe_violations(page) == []
    page.get_by_label("How much say do citizens have in designing the data work?").select_option(
        "4"
    )
    page.get_by_label("Who is assessing?").fill("Registry keeper")
    page.get_by_label("Why?").fill("Residents chose the monitoring sites.")
    page.get_by_label("The registry's update token").fill(TOKEN)
    screenshot(page, "settle-form")
    page.get_by_role("button", name="Record the assessment").click()
    result = page.locator("#result")
    expect(result).to_contain_text("Settled: citizen data")
    expect(result).to_contain_text("Collaboration driven by other actors")
    expect(result.locator("dl.assessment")).to_contain_text("Registry keeper")
    assert axe_violations(page) == []
    screenshot(page, "settle-result")
