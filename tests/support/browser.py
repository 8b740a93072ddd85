"""Headless Chromium (Debian's package) driven by Playwright, and axe-core for accessibility.

Never downloads a browser: Playwright launches ``/usr/bin/chromium`` (installed by
``make test`` through ``scripts/system-deps.sh``); axe-core comes from npm into
``build/node_modules`` (also installed by ``make test``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.support.paths import REPO

CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "build" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "build" / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail("Chromium is missing: run 'make system-deps' (installs chromium)")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()


def take_screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations on the page (WCAG 2.1 A/AA rules)."""
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing at {AXE}: run 'make system-deps' (npm install)")
    # evaluated, not added as an inline script tag: the pages' CSP forbids inline scripts
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result: dict[str, Any] = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def screenshot() -> Callable[[Page, str], Path]:
    """Saves a full-page screenshot under build/test-artifacts/."""
    return take_screenshot


@pytest.fixture
def axe_violations() -> Callable[[Page], list[dict[str, Any]]]:
    """Runs axe-core in the page; returns its serious and critical violations."""
    return serious_violations
