"""Findings of an outside security review: user input that ended in an internal error
(exit 70, HTTP 500) or reached the terminal raw. Each is now exit 2 / HTTP 4xx with a
one-line reason, or is read and shown safely.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import sys
from collections.abc import Iterator
from contextlib import redirect_stderr
from pathlib import Path

import httpx
import pytest

from cdkg.cli import main
from cdkg.publish.dumps import SOURCE_PREFIX, public_graph_name
from cdkg.render.paths import MAX_SEGMENT
from cdkg.store import open_store
from cdkg.store.layout import INFERRED_PREFIX, inferred_graph
from tests.support.webfixtures import LiveServer, serving

BASE = "https://data.example.org/"
PREFIXES = (
    "@prefix dct: <http://purl.org/dc/terms/> .\n"
    "@prefix cdkg: <https://w3id.org/cdkg/ontology#> .\n"
    "@prefix ex: <http://example.org/> .\n"
)
SURROGATE = (
    '{"@context": "https://w3id.org/cdkg/context.jsonld", "id": "https://example.org/i", '
    '"type": "Initiative", "title": "\\ud800"}'
)
DEEP = PREFIXES + "ex:a ex:p " + "[ ex:p " * 600 + "ex:b" + " ]" * 600 + " .\n"
#: Everything a terminal acts on: C0 controls but line feed and tab, DEL, C1 controls.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def one_line_error(err: str) -> None:
    assert "Traceback" not in err and "internal error" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cdkg: error: "), err


@pytest.mark.parametrize("command", ["validate", "classify"])
def test_a_lone_surrogate_is_exit_2(cli, tmp_path: Path, command: str) -> None:
    doc = tmp_path / "surrogate.jsonld"
    doc.write_text(SURROGATE)
    result = cli(command, str(doc))
    assert result.code == 2
    one_line_error(result.err)
    assert "surrogate" in result.err


def test_turtle_nested_600_deep_is_exit_2_with_the_limit(cli, tmp_path: Path) -> None:
    doc = tmp_path / "deep.ttl"
    doc.write_text(DEEP)
    result = cli("validate", str(doc))
    assert result.code == 2
    one_line_error(result.err)
    assert "nested too deeply: more than 64 levels" in result.err
    assert "recursion" not in result.err


def test_a_turtle_file_with_a_byte_order_mark_validates(cli, tmp_path: Path) -> None:
    doc = tmp_path / "bom.ttl"
    doc.write_bytes(b"\xef\xbb\xbf" + (PREFIXES + 'ex:a dct:title "A" .\n').encode())
    result = cli("validate", str(doc))
    assert result.code == 0, result.err


def test_a_folder_with_a_file_name_that_is_not_utf8(cli, tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"bad\xff.ttl"), "wb") as f:
        f.write((PREFIXES + 'ex:a dct:title "A" .\n').encode())
    store = tmp_path / "store"
    assert cli("validate", str(folder)).code == 0
    loaded = cli("load", str(folder), "--store", str(store))
    assert loaded.code == 0, loaded.err
    status = cli("status", "--store", str(store), "--graphs")
    assert status.code == 0
    assert "bad\\xff.ttl" in status.out


# --------------------------------------------------------------------------- terminals

EVIL_TITLE = "Evil\x1b]0;pwned\x07\x1b[2J\rforged line\x9b31m"


@pytest.fixture
def evil(tmp_path: Path) -> Path:
    doc = tmp_path / "evil.ttl"
    title = EVIL_TITLE.replace("\\", "\\\\").replace("\r", "\\r")
    doc.write_text(
        PREFIXES
        + f'ex:i a cdkg:Initiative ; dct:title "{title}" ; cdkg:initiatedBy ex:o .\n'
        + f'ex:o a cdkg:CivilSocietyOrganisation ; dct:title "{title}" .\n'
    )
    return doc


@pytest.mark.parametrize("command", ["validate", "classify"])
@pytest.mark.parametrize("fmt", ["text", "json", "turtle"])
def test_control_characters_never_reach_the_output_raw(
    cli, evil: Path, command: str, fmt: str
) -> None:
    result = cli(command, "--format", fmt, str(evil))
    assert result.code in (0, 1), result.err
    assert not RAW_CONTROL.search(result.out), repr(result.out[:500])
    if fmt == "text":
        assert "Evil\\x1b]0;pwned\\x07\\x1b[2J\\rforged line\\x9b31m" in result.out
    elif command == "classify":  # the title, as the same value escaped
        assert re.search(r"Evil\\u001[bB]\]0;pwned\\u0007", result.out), result.out[:500]
        assert re.search(r"line\\u009[bB]31m", result.out)


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_status_on_a_terminal_escapes_what_the_store_holds(tmp_path: Path, evil: Path) -> None:
    named = tmp_path / "name\x1b[31m.ttl"
    named.write_text(evil.read_text())
    store = str(tmp_path / "store")
    with redirect_stderr(io.StringIO()):
        assert main(["load", str(named), "--store", store]) == 0
    out = FakeTerminal()
    saved = sys.stdout
    sys.stdout = out
    try:
        assert main(["status", "--store", store, "--graphs"]) == 0
    finally:
        sys.stdout = saved
    assert sys.stdout is saved
    text = out.getvalue()
    assert "name\\x1b[31m.ttl" in text
    assert not RAW_CONTROL.search(text)


# --------------------------------------------------------------------------- the server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("user-errors")
    with open_store(folder / "store") as store, serving(store) as live:
        yield live


BODIES = {
    "surrogate": (SURROGATE, "application/ld+json", "surrogate"),
    "deep": (DEEP, "text/turtle", "nested too deeply"),
}


@pytest.mark.server
@pytest.mark.parametrize("case", sorted(BODIES))
@pytest.mark.parametrize("accept", ["application/json", "text/html", "text/turtle"])
def test_post_validate_answers_400(server: LiveServer, case: str, accept: str) -> None:
    body, media, reason = BODIES[case]
    r = httpx.post(
        server.url + "/validate",
        content=body.encode(),
        headers={"Content-Type": media, "Accept": accept},
        timeout=60,
    )
    assert r.status_code == 400, r.text[:300]
    assert reason in r.text


@pytest.mark.server
@pytest.mark.parametrize("case", sorted(BODIES))
def test_the_check_form_answers_400(server: LiveServer, case: str) -> None:
    body, _media, reason = BODIES[case]
    pasted = httpx.post(server.url + "/check", data={"text": body, "format": "auto"}, timeout=60)
    uploaded = httpx.post(
        server.url + "/check", files={"file": ("upload.txt", body.encode())}, timeout=60
    )
    for r in (pasted, uploaded):
        assert r.status_code == 400
        assert reason in r.text


# --------------------------------------------------------------------------- publishing


def test_publish_shortens_an_overlong_segment_and_names_dump_graphs_publicly(
    cli, tmp_path: Path
) -> None:
    segment = "a" * 300
    doc = tmp_path / "long.ttl"
    doc.write_text(
        PREFIXES
        + f'<{BASE}{segment}> a cdkg:Initiative ; dct:title "Long" .\n'
        + f'<{BASE}short> dct:title "Short" ; dct:relation <{BASE}{segment}> .\n'
    )
    store, site = tmp_path / "store", tmp_path / "site"
    assert cli("load", str(doc), "--store", str(store)).code == 0
    result = cli("publish", "--store", str(store), "--out", str(site), "--base-iri", BASE)
    assert result.code == 0, result.err
    pages = [p for p in site.glob("aaa*.html")]
    assert len(pages) == 1
    name = pages[0].stem
    assert MAX_SEGMENT < len(name) < 250 and name.startswith("a" * 200) and "~" in name
    for ext in ("ttl", "jsonld", "nt"):
        assert (site / f"{name}.{ext}").is_file()
    assert f"{name}.html" in (site / "short.html").read_text()
    # the same name on every run
    again = cli("publish", "--store", str(store), "--out", str(site), "--base-iri", BASE)
    assert again.code == 0 and (site / f"{name}.html").is_file()

    dump = gzip.decompress((site / "dumps" / "registry.nq.gz").read_bytes()).decode()
    assert "file:" not in dump and str(tmp_path) not in dump
    source = doc.resolve().as_uri()
    digest = inferred_graph(source).removeprefix(INFERRED_PREFIX)
    assert f"<{SOURCE_PREFIX}{digest}> ." in dump
    assert f"<{INFERRED_PREFIX}{digest}> ." in dump
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".ttl", ".html", ".jsonld", ".nt", ".xml"):
            assert str(tmp_path) not in path.read_text(), path


def test_public_graph_names() -> None:
    source = "file:///home/keeper/registry/kenya.ttl"
    name = public_graph_name(source)
    assert name.startswith(SOURCE_PREFIX) and "keeper" not in name
    assert name.removeprefix(SOURCE_PREFIX) == inferred_graph(source).removeprefix(INFERRED_PREFIX)
    assert public_graph_name("https://data.example.org/graph/kenya") == (
        "https://data.example.org/graph/kenya"
    )
    assert public_graph_name(inferred_graph(source)) == inferred_graph(source)
