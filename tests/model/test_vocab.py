"""``cdkg vocab``: list the schemes, run the checks, fetch the UN's SDG wording over HTTP."""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cdkg.model.vocab import SDG_CACHE_FILE, concepts, fetch_sdg, schemes, sdg_wording
from tests.conftest import CliResult

SCHEME_SIZES = {
    "participation-level": 5,
    "stage": 10,
    "initiative-type": 6,
    "principle": 10,
    "objective": 7,
    "enabler": 8,
    "integration-status": 3,
    "gsbpm": 52,
}


def test_every_scheme_of_the_contract_is_listed_with_its_size() -> None:
    sizes = {s.name: s.size for s in schemes()}
    for name, size in SCHEME_SIZES.items():
        assert sizes[name] == size, name
    for name in ("practice", "collection-method", "population-group"):
        assert sizes[name] >= 7, name
    assert sizes["sdg"] == 17 + 169 + len([c for c in concepts("sdg") if c.iri.count("/C")])


def test_list_concepts_in_french(cli: Callable[..., CliResult]) -> None:
    result = cli("vocab", "list", "participation-level", "--lang", "fr")
    assert result.code == 0
    lines = result.out.splitlines()
    assert [line.split()[0] for line in lines] == ["1", "2", "3", "4", "5"]
    assert "Partenariat" in lines[3]


def test_list_json(cli: Callable[..., CliResult]) -> None:
    result = cli("vocab", "list", "initiative-type", "--format", "json")
    data = json.loads(result.out)
    assert [d["notation"] for d in data] == ["1", "2", "3", "4", "5", "6"]
    assert data[0]["iri"] == "https://w3id.org/cdkg/vocab/initiative-type/civic-action"


def test_unknown_scheme_is_a_usage_error(cli: Callable[..., CliResult]) -> None:
    result = cli("vocab", "list", "colours")
    assert result.code == 2
    assert "no scheme named 'colours'" in result.err
    assert "participation-level" in result.err


def test_check_passes_on_the_shipped_files(cli: Callable[..., CliResult]) -> None:
    result = cli("vocab", "check")
    assert result.code == 0, result.out


# --------------------------------------------------------------------------- fetch


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def serve_dir() -> Iterator[Callable[[Path], str]]:
    """Serve a folder on 127.0.0.1 with Python's http.server; yields a URL maker."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(folder: Path) -> str:
        handler = functools.partial(_Quiet, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.mark.shared
@pytest.mark.server
def test_fetch_sdg_from_a_loopback_server(
    shared_dir: Path,
    serve_dir: Callable[[Path], str],
    tmp_path: Path,
    cli: Callable[..., CliResult],
) -> None:
    base = serve_dir(shared_dir / "vocab")
    cache = tmp_path / "cache"
    url = f"{base}/sdg-kos-goals-targets-indicators.ttl"
    result = cli("vocab", "fetch", "sdg", "--from", url, "--cache-dir", str(cache))
    assert result.code == 0, result.err
    assert "418" in result.out
    assert (cache / SDG_CACHE_FILE).is_file()
    wording = sdg_wording("5.2", "en", cache)
    assert wording is not None and wording.startswith("Eliminate all forms of violence")
    assert sdg_wording("SDG 5", "fr", cache) is not None
    assert sdg_wording("5.2", "en", tmp_path / "empty") is None


@pytest.mark.server
def test_fetch_refuses_what_is_not_the_sdg_kos(
    serve_dir: Callable[[Path], str], tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "other.ttl").write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    (site / "broken.ttl").write_text("this is not RDF {", encoding="utf-8")
    base = serve_dir(site)
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / SDG_CACHE_FILE).write_text("# previous cache\n", encoding="utf-8")
    for name, message in [
        ("other.ttl", "holds no labels of SDG"),
        ("broken.ttl", "not Turtle or RDF/XML"),
        ("missing.ttl", "HTTP 404"),
    ]:
        result = cli("vocab", "fetch", "sdg", "--from", f"{base}/{name}", "--cache-dir", str(cache))
        assert result.code == 2, name
        assert message in result.err, result.err
        assert "Traceback" not in result.err
    # a failed fetch leaves the previous cache as it was
    assert (cache / SDG_CACHE_FILE).read_text(encoding="utf-8") == "# previous cache\n"


def test_fetch_reports_an_unreachable_server(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    # port 9 on loopback: nothing listens there, the connection is refused at once
    result = cli(
        "vocab",
        "fetch",
        "sdg",
        "--from",
        "http://127.0.0.1:9/sdg.ttl",
        "--cache-dir",
        str(tmp_path),
    )
    assert result.code == 2
    assert "download failed" in result.err


@pytest.mark.shared
def test_fetch_from_a_local_file(shared_dir: Path, tmp_path: Path) -> None:
    result = fetch_sdg(str(shared_dir / "vocab" / "sdg-kos-goals-targets-indicators.ttl"), tmp_path)
    assert result.concepts == 418
    assert not result.missing
