"""The registry in a real headless Chromium: browse, filter, read a verdict, check a file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cdkg.load.loader import load
from cdkg.store import open_store
from tests.support.webfixtures import BASE, BROKEN, GOOD, LiveServer, example_store, serving

pytest_plugins = ["tests.support.browser"]  # fixtures: browser, page, screenshot, axe_violations
Shot = Callable[[Page, str], Path]
pytestmark = [pytest.mark.browser, pytest.mark.server]


#: Beside the example table: one initiative to be assessed (Contract 3 revision 2, row 7)
#: and one that a recorded assessment settled.
OPEN = f"""@prefix cdkg: <https://w3id.org/cdkg/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{BASE}river-survey> a cdkg:Initiative ; dct:title "River Survey"@en ;
    cdkg:initiatedBy <{BASE}actor/lake-university> .
<{BASE}actor/lake-university> a cdkg:AcademicInstitution ; foaf:name "Lake University" .
<{BASE}street-lights> a cdkg:Initiative ; dct:title "Street Lights Count"@en ;
    cdkg:initiatedBy <{BASE}actor/city-office> ;
    cdkg:assessment [ a cdkg:Assessment ; cdkg:outcome true ;
        prov:wasAttributedTo <{BASE}actor/registry-keeper> ; dct:date "2024-05-02"^^xsd:date ;
        dct:description "Residents designed the count with the city office."@en ] .
<{BASE}actor/city-office> a cdkg:GovernmentAgency ; foaf:name "City Office" .
<{BASE}actor/registry-keeper> a prov:Agent ; foaf:name "Registry keeper" .
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("browser")
    store_dir = example_store(folder)
    extra = folder / "open.ttl"
    extra.write_text(OPEN, encoding="utf-8")
    with open_store(store_dir, create=False) as store:
        load(store, [str(extra)], progress=False)
    with open_store(store_dir, create=False) as store, serving(store) as live:
        yield live


def test_browse_filter_by_sdg_and_open_an_initiative(
    server: LiveServer, page: Page, screenshot: Shot
) -> None:
    page.goto(server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Citizen-data initiatives")
    expect(page.locator("table.initiatives tbody tr")).to_have_count(9)
    screenshot(page, "home")
    # Filter by SDG goal 6 with the keyboard-reachable facet link.
    page.get_by_role("navigation", name="Filter initiatives").get_by_role(
        "link", name="Goal 6: Clean water and sanitation"
    ).click()
    expect(page.locator("table.initiatives tbody tr")).to_have_count(1)
    expect(page.locator(".filter")).to_contain_text("Goal 6")
    page.get_by_role("link", name="Kisumu Well Watch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kisumu Well Watch")
    verdict = page.locator("section.verdict")
    expect(verdict).to_contain_text("Citizen data")
    expect(verdict).to_contain_text("Civic action")
    expect(page.locator("ol.reasons li").first).to_contain_text("Nyalenda")
    chart = page.get_by_role("img", name="Participation profile of Kisumu Well Watch")
    expect(chart).to_be_visible()
    expect(chart.locator("desc")).to_contain_text("Data collection: level 5")
    screenshot(page, "initiative")


def test_a_to_be_assessed_initiative_says_what_would_decide_it(
    server: LiveServer, page: Page, screenshot: Shot
) -> None:
    page.goto(server.url + "/")
    tally = page.get_by_role("list", name="Verdicts of the initiatives listed")
    expect(tally).to_contain_text("To be assessed: 1")
    page.get_by_role("navigation", name="Filter initiatives").get_by_role(
        "link", name="To be assessed"
    ).click()
    expect(page.locator("table.initiatives tbody tr")).to_have_count(1)
    expect(page.locator("table.initiatives tbody tr")).to_contain_text("no type yet")
    page.get_by_role("link", name="River Survey").click()
    verdict = page.locator("section.verdict")
    expect(verdict).to_have_class("verdict open")
    expect(verdict.locator(".verdict-line")).to_contain_text("To be assessed — no type yet")
    expect(verdict.get_by_role("heading", name="What would decide it")).to_be_visible()
    expect(verdict.locator("ul.checklist li")).to_have_count(3)
    screenshot(page, "initiative-to-be-assessed")
    page.goto(server.url + "/street-lights")
    assessed = page.locator("section.verdict dl.assessment")
    expect(assessed).to_contain_text("Registry keeper")
    expect(assessed).to_contain_text("2024-05-02")
    screenshot(page, "initiative-assessed")
    page.goto(server.url + "/dashboard")
    expect(page.get_by_role("list", name="Initiatives by verdict")).to_contain_text(
        "To be assessed: 1"
    )
    screenshot(page, "dashboard")


def test_check_form_broken_file_then_good_text(
    server: LiveServer, page: Page, tmp_path: Path, screenshot: Shot
) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text(BROKEN, encoding="utf-8")
    page.goto(server.url + "/check")
    page.get_by_label("Or upload a file").set_input_files(str(broken))
    page.get_by_role("button", name="Check").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("could not be read")
    expect(alert).to_contain_text("broken.ttl")
    screenshot(page, "check-error")
    page.get_by_label("Description").fill(GOOD)
    page.get_by_role("button", name="Check").click()
    result = page.locator("#result")
    expect(result).to_contain_text("Result: citizen data")
    expect(result).to_contain_text("Civic action")
    expect(result.locator("ol.reasons li").first).to_contain_text("Lakeside fishers")
    screenshot(page, "check-verdict")


def test_keyboard_reaches_the_content_and_the_form(server: LiveServer, page: Page) -> None:
    page.goto(server.url + "/check")
    page.keyboard.press("Tab")
    expect(page.locator("a.skip")).to_be_focused()
    page.keyboard.press("Enter")
    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "text":
            break
    expect(page.locator("#text")).to_be_focused()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/browse/sdg/6",
        "/browse/verdict/to-be-assessed",
        "/kisumu-well-watch",
        "/river-survey",
        "/street-lights",
        "/dashboard",
        "/check",
        "/assess",
        "/ontology",
    ],
)
def test_no_serious_accessibility_violations(
    server: LiveServer, page: Page, path: str, axe_violations: Callable[[Page], list[object]]
) -> None:
    page.goto(server.url + path)
    assert axe_violations(page) == []


def test_questionnaire_form_gives_a_verdict_with_reasons(
    server: LiveServer, page: Page, screenshot: Shot
) -> None:
    page.goto(server.url + "/assess")
    page.get_by_label("What is the initiative called?").fill("Lake water watch")
    page.get_by_label("Name 1").first.fill("Lakeside fishers")
    page.get_by_label("Kind of actor 1").first.select_option("Community")
    page.get_by_label("Data collection").select_option("5")
    page.get_by_role("button", name="Assess").click()
    result = page.locator("#result")
    expect(result).to_contain_text("Citizen data")
    expect(result).to_contain_text("Civic action")
    expect(result.locator("ol.reasons li").first).to_be_visible()
    screenshot(page, "assess-verdict")
