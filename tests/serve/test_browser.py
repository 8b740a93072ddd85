"""The registry in a real headless Chromium: browse, filter, read a verdict, check a file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cdkg.store import open_store
from tests.support.webfixtures import BROKEN, GOOD, LiveServer, example_store, serving

pytest_plugins = ["tests.support.browser"]  # fixtures: browser, page, screenshot, axe_violations
Shot = Callable[[Page, str], Path]
pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    store_dir = example_store(tmp_path_factory.mktemp("browser"))
    with open_store(store_dir, create=False) as store, serving(store) as live:
        yield live


def test_browse_filter_by_sdg_and_open_an_initiative(
    server: LiveServer, page: Page, screenshot: Shot
) -> None:
    page.goto(server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Citizen-data initiatives")
    expect(page.locator("table.initiatives tbody tr")).to_have_count(7)
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
    ["/", "/browse/sdg/6", "/kisumu-well-watch", "/dashboard", "/check", "/assess", "/ontology"],
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
