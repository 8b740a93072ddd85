"""Stored XSS via ``javascript:`` IRIs, and the headers of ``cdkg serve``.

A registry whose data hold ``javascript:``, ``data:``, ``vbscript:``, ``file:`` values (in
any case, with a leading space) in ``dcat:landingPage``, ``dct:license``,
``dct:conformsTo``, ``dct:source``, ``dct:spatial``, as an actor and as a property, and an
initiative whose IRI is ``BASE + "javascript:alert(1)"``, is published and served: no
``href``, ``src`` or form ``action`` on any page starts with a scheme other than
``http``, ``https`` or ``mailto``; the site's own links start with ``./``, ``../`` or
``#`` on disk (``/`` live) and still reach their page; every response of the server
carries the Content-Security-Policy, X-Content-Type-Options and Referrer-Policy headers,
and the pages work in Chromium under that policy.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx
import pytest
import rdflib
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from playwright.sync_api import ConsoleMessage, Dialog, Page, expect
from rdflib import Literal, URIRef

from cdkg.load.loader import load
from cdkg.publish.site import publish
from cdkg.publish.source import ReadOnlyStore
from cdkg.render import pages
from cdkg.render.paths import Layout, Linker, external_href
from cdkg.serve.app import CONTENT_SECURITY_POLICY, create_app
from cdkg.store import open_store
from tests.support.webfixtures import BASE, LiveServer, serving

pytest_plugins = ["tests.support.browser"]  # fixtures: browser, page

EVIL = f"{BASE}javascript:alert(1)"
#: The evil initiative's page, as the static index links it and as the server answers it.
EVIL_STATIC = "./javascript%3Aalert(1).html"
EVIL_LIVE = "/javascript%3Aalert(1)"

DATA = f"""@prefix cdkg: <https://w3id.org/cdkg/ontology#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .

<{BASE}water-watch> a cdkg:Initiative ;
    dct:title "Water Watch"@en ;
    dcat:landingPage <javascript:alert(document.domain)>, <https://water.example.org/>,
        <mailto:team@water.example.org>, " javascript:alert(4)", "JaVaScRiPt:alert(5)",
        <data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==> ;
    dct:license <vbscript:msgbox(1)>, <https://creativecommons.org/licenses/by/4.0/> ;
    dct:conformsTo <JaVaScRiPt:alert(2)> ;
    dct:source <file:///etc/passwd>, <data:,hello> ;
    dct:spatial <javascript:alert(3)> ;
    <javascript:alert(6)> "a property with a script scheme" ;
    cdkg:initiatedBy <{BASE}actor/water-group>, <javascript:alert(7)> ;
    cdkg:hasEngagement [ a cdkg:Engagement ;
        cdkg:stage <https://w3id.org/cdkg/vocab/stage/design> ;
        cdkg:participationLevel <https://w3id.org/cdkg/vocab/participation-level/5> ;
        cdkg:engagedActor <{BASE}actor/water-group> ] ,
      [ a cdkg:Engagement ;
        cdkg:stage <https://w3id.org/cdkg/vocab/stage/collection> ;
        cdkg:participationLevel <https://w3id.org/cdkg/vocab/participation-level/5> ;
        cdkg:engagedActor <{BASE}actor/water-group> ] .
<{BASE}actor/water-group> a cdkg:CommunityBasedOrganisation ;
    foaf:name "Water Group" ; cdkg:directlyEngagesCitizens true .

<{EVIL}> a cdkg:Initiative ;
    dct:title "Evil Initiative"@en ;
    dcat:landingPage <vbscript:msgbox(2)> ;
    dct:spatial <javascript:alert(8)>,
        <http://publications.europa.eu/resource/authority/country/KEN> ;
    cdkg:initiatedBy <{BASE}actor/water-group> .
"""

#: Every value that must never be a link, and shows up as text somewhere.
SHOWN_AS_TEXT = (
    "javascript:alert(document.domain)",
    "JaVaScRiPt:alert(5)",
    " javascript:alert(4)",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
)
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
#: What browsers remove from a URL before they read its scheme.
_STRIPPED = re.compile(r"[\x00-\x20]")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


class _Targets(HTMLParser):
    """Every URL-valued attribute of a page, with its character references decoded."""

    NAMES = frozenset({"href", "src", "action", "formaction", "xlink:href", "srcset", "data"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in self.NAMES and value is not None:
                self.found.append((tag, name, value))


def targets(html: str) -> list[tuple[str, str, str]]:
    parser = _Targets()
    parser.feed(html)
    parser.close()
    return parser.found


def scheme_of(value: str) -> str | None:
    """The scheme a browser reads in ``value`` (after stripping what it strips), if any."""
    found = _SCHEME.match(_STRIPPED.sub("", value).lower())
    return found.group(1) if found else None


def check_page(html: str, *, static: bool, where: str) -> list[str]:
    """Asserts every target of ``html`` is safe; returns the site-relative ones."""
    own = []
    for tag, name, value in targets(html):
        scheme = scheme_of(value)
        if scheme is not None:
            assert scheme in ALLOWED_SCHEMES, f"{where}: <{tag} {name}={value!r}>"
            continue
        if static:
            assert value.startswith(("./", "../", "#")), f"{where}: <{tag} {name}={value!r}>"
        else:
            assert value.startswith(("/", "#")), f"{where}: <{tag} {name}={value!r}>"
            assert not value.startswith("//"), f"{where}: <{tag} {name}={value!r}>"
        own.append(value)
    return own


@dataclass(frozen=True)
class Registry:
    store: Path
    site: Path


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    folder = tmp_path_factory.mktemp("links")
    source = folder / "evil.ttl"
    source.write_text(DATA, encoding="utf-8")
    with open_store(folder / "store") as store:
        load(store, [str(source)], progress=False)
    with ReadOnlyStore(folder / "store") as store:
        publish(store, folder / "site", BASE, progress=False)
    return Registry(folder / "store", folder / "site")


@pytest.fixture(scope="module")
def client(registry: Registry) -> Iterator[TestClient]:
    with (
        ReadOnlyStore(registry.store) as store,
        TestClient(create_app(store, BASE, update_token="t" * 32)) as test_client,
    ):
        yield test_client


# --------------------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    "iri",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "\tjavascript:alert(1)",
        "java\nscript:alert(1)",
        "javascript\t:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://example.org/",
        "urn:isbn:0451450523",
        "http:example.org",
        "https://",
        "https://example.org:port/",
        "https://[::1/",
        "mailto:",
        "//evil.example.org/",
        "/relative",
        "relative:thing",
        "https://example.org/ space",
        "https:\\\\example.org",
        "",
    ],
)
def test_external_href_refuses(iri: str) -> None:
    assert external_href(iri) is None


@pytest.mark.parametrize(
    "iri",
    [
        "https://example.org/",
        "http://example.org/a?b=c#d",
        "HTTPS://EXAMPLE.ORG/",
        "https://例え.jp/パス",
        "mailto:team@example.org",
    ],
)
def test_external_href_keeps_http_https_mailto(iri: str) -> None:
    assert external_href(iri) == iri


def test_site_links_never_start_with_a_segment() -> None:
    layout = Layout(BASE)
    static = Linker(layout, static=True)
    for here in ("index", "javascript:x", "browse/sdg/6", "actor/water-group"):
        linker = static.at(here)
        for href in (
            linker.page(""),
            linker.page("javascript:alert(1)"),
            linker.page("a:b/c:d", ext="ttl"),
            linker.asset("static/style.css"),
            linker.resource(EVIL),
        ):
            assert href is not None and href.startswith(("./", "../")), (here, href)
            assert ":" not in href, (here, href)
    assert static.at("index").resource(EVIL) == EVIL_STATIC
    assert static.at("browse/sdg/6").resource(EVIL) == "../../javascript%3Aalert(1).html"
    live = Linker(layout, static=False)
    assert live.resource(EVIL) == EVIL_LIVE
    assert live.page("100%") == "/100%25"
    assert live.resource("javascript:alert(1)") is None
    assert live.resource("https://example.org/x") == "https://example.org/x"


def test_values_no_store_can_hold_are_text_on_a_page() -> None:
    """IRIs with a leading space or a tab cannot enter a store (Oxigraph refuses them),
    but an rdflib graph given to the page renderer may hold them."""
    graph = rdflib.Graph()
    node = URIRef(BASE + "x")
    graph.add((node, rdflib.RDF.type, URIRef("https://w3id.org/cdkg/ontology#Initiative")))
    for value in (" javascript:alert(1)", "java\tscript:alert(2)", "JAVASCRIPT:alert(3)"):
        graph.add((node, URIRef("http://www.w3.org/ns/dcat#landingPage"), URIRef(value)))
        graph.add((node, URIRef("http://purl.org/dc/terms/license"), URIRef(value)))
        graph.add((node, URIRef(value), Literal("v")))
    page = pages.ResourcePage(
        iri=str(node),
        path="x",
        graph=graph,
        namer=pages.Namer(),
        linker=Linker(Layout(BASE), static=True).at("x"),
    )
    text = pages.resource_html(page)
    check_page(text, static=True, where="x")
    assert "alert(1)" in text and "alert(2)" in text and "alert(3)" in text


# --------------------------------------------------------------------------- published


def test_no_published_page_links_a_script_scheme(registry: Registry) -> None:
    checked = 0
    for path in sorted(registry.site.rglob("*.html")):
        where = str(path.relative_to(registry.site))
        text = path.read_text(encoding="utf-8")
        for href in check_page(text, static=True, where=where):
            if href.startswith("#"):
                continue
            target = (path.parent / unquote(urlsplit(href).path)).resolve()
            assert target.is_file(), f"{where} links to missing {href}"
            checked += 1
    assert checked > 200


def test_the_evil_initiative_is_published_and_linked_safely(registry: Registry) -> None:
    assert (registry.site / "javascript:alert(1).html").is_file()
    index = (registry.site / "index.html").read_text(encoding="utf-8")
    assert f'href="{EVIL_STATIC}"' in index
    assert 'href="javascript:alert(1).html"' not in index
    page = (registry.site / "javascript:alert(1).html").read_text(encoding="utf-8")
    assert "Evil Initiative" in page
    assert 'href="./static/style.css"' in page
    assert "vbscript:msgbox(2)" in page  # shown, as text


def test_published_values_are_text_and_good_links_stay(registry: Registry) -> None:
    page = (registry.site / "water-watch.html").read_text(encoding="utf-8")
    hrefs = {value for _tag, _name, value in targets(page)}
    assert "https://water.example.org/" in hrefs
    assert "mailto:team@water.example.org" in hrefs
    assert "https://creativecommons.org/licenses/by/4.0/" in hrefs
    # the actor page and the concepts are linked on the site
    assert "./actor/water-group.html" in hrefs and "./vocab/stage/design.html" in hrefs
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    for value in SHOWN_AS_TEXT:
        assert value in text, value
    assert not any(scheme_of(h) not in (None, *ALLOWED_SCHEMES) for h in hrefs)


# --------------------------------------------------------------------------- served


def test_no_served_page_links_a_script_scheme(client: TestClient) -> None:
    """Every page reachable from the home page (and the forms, the 404 page), crawled."""
    queue = ["/", "/check", "/assess", "/nothing-here", EVIL_LIVE, "/javascript:alert(1)"]
    seen: set[str] = set()
    crawled = 0
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, headers={"Accept": "text/html"})
        assert response.status_code == (404 if url == "/nothing-here" else 200), url
        if not response.headers["content-type"].startswith("text/html"):
            continue
        crawled += 1
        for href in check_page(response.text, static=False, where=url):
            path = urlsplit(href).path
            if href.startswith("#") or path in seen or path.startswith("/sparql"):
                continue
            queue.append(path)
    assert crawled > 30
    assert "/actor/water-group" in seen and "/vocab/stage/design" in seen
    assert "/browse/country/javascript%3Aalert(3)" in seen


def test_the_evil_initiative_is_served_at_its_encoded_path(client: TestClient) -> None:
    home = client.get("/").text
    assert f'href="{EVIL_LIVE}"' in home
    for url in (EVIL_LIVE, "/javascript:alert(1)"):
        page = client.get(url)
        assert page.status_code == 200 and "Evil Initiative" in page.text
    turtle = client.get(EVIL_LIVE + ".ttl")
    assert turtle.status_code == 200 and "Evil Initiative" in turtle.text


def test_settle_page_of_the_evil_initiative(client: TestClient) -> None:
    page = client.get("/assess/settle", params={"initiative": EVIL})
    check_page(page.text, static=False, where="settle")
    assert f'href="{EVIL_LIVE}"' in page.text


def test_a_checked_description_links_no_script_scheme(client: TestClient) -> None:
    """The "Check an initiative" form shows what was sent: the same rule holds there."""
    text = """@prefix cdkg: <https://w3id.org/cdkg/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://example.org/i/river> a cdkg:Initiative ; dct:title "River" ;
    cdkg:initiatedBy <https://example.org/a/uni> ;
    cdkg:assessment [ a cdkg:Assessment ; cdkg:outcome true ;
        prov:wasAttributedTo <javascript:alert(9)> ; dct:date "2024-05-02"^^xsd:date ;
        dct:description "Checked by hand."@en ] .
<https://example.org/a/uni> a cdkg:AcademicInstitution .
"""
    response = client.post("/check", data={"text": text, "format": "auto"})
    assert response.status_code == 200
    assert "Recorded assessment" in response.text and "alert(9)" in response.text
    check_page(response.text, static=False, where="/check")
    _assert_headers(response, "POST /check")


# --------------------------------------------------------------------------- headers


def _assert_headers(response: httpx.Response, what: str) -> None:
    headers = response.headers
    assert headers.get("content-security-policy") == CONTENT_SECURITY_POLICY, what
    assert headers.get("x-content-type-options") == "nosniff", what
    assert headers.get("referrer-policy") == "no-referrer", what
    assert len(headers.get_list("content-security-policy")) == 1, what


def test_every_served_response_carries_the_security_headers(client: TestClient) -> None:
    requests: list[tuple[str, str, dict[str, Any], int]] = [
        ("GET", "/", {}, 200),
        ("GET", "/dashboard", {}, 200),
        ("GET", "/water-watch", {}, 200),
        ("GET", "/water-watch.ttl", {}, 200),
        ("GET", "/water-watch", {"headers": {"Accept": "application/ld+json"}}, 200),
        ("GET", "/ontology", {}, 200),
        ("GET", "/ontology.nt", {}, 200),
        ("GET", "/static/style.css", {}, 200),
        ("GET", "/openapi.json", {}, 200),
        ("GET", "/check", {}, 200),
        ("GET", "/assess", {}, 200),
        ("GET", "/sparql", {}, 200),
        ("GET", "/sparql", {"params": {"query": "ASK {}"}}, 200),
        ("GET", "/sparql", {"params": {"query": "SELECT"}}, 400),
        ("GET", "/nothing-here", {}, 404),
        ("GET", "/nothing-here.ttl", {}, 404),
        ("GET", "/water-watch", {"headers": {"Accept": "image/png"}}, 406),
        ("GET", "/browse/nothing/here", {}, 404),
        ("POST", "/validate", {"content": b"x" * 6_000_000}, 413),
        ("POST", "/sparql", {"content": b"ASK {}", "headers": {"Content-Type": "x/y"}}, 415),
        ("POST", "/sparql", {"data": {"update": "CLEAR ALL"}}, 401),
        ("PUT", "/", {}, 405),
        ("GET", "/assess/settle", {}, 400),
    ]
    for method, url, options, status in requests:
        response = client.request(method, url, **options)
        what = f"{method} {url} {options.get('headers', '')}"
        assert response.status_code == status, (what, response.status_code, response.text[:200])
        _assert_headers(response, what)


def test_an_unexpected_error_carries_the_security_headers(registry: Registry) -> None:
    def boom() -> None:
        raise RuntimeError("boom")

    with ReadOnlyStore(registry.store) as store:
        app = create_app(store, BASE)
        app.router.routes.insert(0, APIRoute("/boom", boom))
        with TestClient(app, raise_server_exceptions=False) as test_client:
            response = test_client.get("/boom")
    assert response.status_code == 500
    _assert_headers(response, "500")


# --------------------------------------------------------------------------- in a browser


@pytest.fixture(scope="module")
def live(registry: Registry) -> Iterator[LiveServer]:
    with ReadOnlyStore(registry.store) as store, serving(store) as server:
        yield server


@pytest.mark.browser
@pytest.mark.server
@pytest.mark.parametrize(
    "path",
    ["/", "/dashboard", "/water-watch", EVIL_LIVE, "/check", "/assess", "/ontology", "/nope"],
)
def test_pages_work_under_the_policy_in_chromium(live: LiveServer, page: Page, path: str) -> None:
    """No CSP violation on any kind of page, and the stylesheet applies."""
    refused: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            refused.append(message.text)

    page.on("console", console)
    page.goto(live.url + path)
    expect(page.locator("h1")).to_be_visible()
    assert refused == []
    display = page.evaluate(
        "getComputedStyle(document.querySelector('header.site nav ul')).display"
    )
    assert display == "flex"  # style.css applied


@pytest.mark.browser
@pytest.mark.server
def test_clicking_through_to_the_evil_initiative_runs_no_script(
    live: LiveServer, page: Page
) -> None:
    dialogs: list[str] = []

    def dialog(shown: Dialog) -> None:
        dialogs.append(shown.message)
        shown.dismiss()

    page.on("dialog", dialog)
    page.goto(live.url + "/")
    page.get_by_role("link", name="Evil Initiative").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Evil Initiative")
    assert urlsplit(page.url).path == EVIL_LIVE
    page.goto(live.url + "/water-watch")
    expect(page.get_by_role("link", name="https://water.example.org/")).to_have_count(1)
    expect(page.locator("a[href^='javascript' i], a[href^='data' i]")).to_have_count(0)
    assert dialogs == []
