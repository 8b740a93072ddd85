"""Queries across registries: two real Oxigraph servers plus an embedded store.

Each registry answers with its own rows, merged with a ``registry`` variable; a
registry that is down or does not answer in time is reported on stderr while the
others still answer (exit 0; ``--strict`` exits 1).
"""

from __future__ import annotations

import json
import socket

import pytest

from cdkg.load.loader import load
from cdkg.query.library import find
from cdkg.store import EmbeddedStore, EndpointStore
from tests.support.paths import TEST_DATA
from tests.support.servers import OxigraphServer

REGISTRY = TEST_DATA / "queries" / "registry"
KENYA = sorted([*REGISTRY.glob("i[1-4]-*.ttl"), *REGISTRY.glob("i10-*.ttl")])
GHANA = sorted(REGISTRY.glob("i[5-9]-*.ttl"))

pytestmark = [pytest.mark.server, pytest.mark.slow]


@pytest.fixture(scope="module")
def registries(tmp_path_factory):
    """Server A holds i1–i4 and i10, server B i5–i9, the embedded store all ten."""
    root = tmp_path_factory.mktemp("federation")
    a = OxigraphServer(root / "a").start()
    b = OxigraphServer(root / "b").start()
    try:
        load(EndpointStore(a.query_url, a.update_url), [str(p) for p in KENYA])
        load(EndpointStore(b.query_url, b.update_url), [str(p) for p in GHANA])
        with EmbeddedStore(root / "embedded") as store:
            load(store, [str(REGISTRY)])
        yield {"a": a, "b": b, "embedded": root / "embedded", "root": root}
    finally:
        a.stop()
        b.stop()


def counts(doc: dict) -> dict[str, dict[str, int]]:
    """registry → initiative type (last path segment, ``none`` for the initiatives with
    no type) → count, over every verdict."""
    out: dict[str, dict[str, int]] = {}
    for row in doc["results"]["bindings"]:
        kind = row["type"]["value"].rsplit("/", 1)[-1] if "type" in row else "none"
        found = out.setdefault(row["registry"]["value"], {})
        found[kind] = found.get(kind, 0) + int(row["count"]["value"])
    return out


def test_initiatives_by_type_across_two_servers_and_an_embedded_store(cli, registries):
    a, b, embedded = registries["a"], registries["b"], str(registries["embedded"])
    result = cli(
        "query", "initiatives-by-type", "--format", "json",
        "--endpoint", a.query_url, "--endpoint", b.query_url, "--store", embedded,
    )  # fmt: skip
    assert result.code == 0, result.err
    assert result.err == ""
    doc = json.loads(result.out)
    assert doc["head"]["vars"][0] == "registry"
    assert {"type", "count"} <= set(doc["head"]["vars"])
    assert counts(doc) == {
        a.query_url: {
            "civic-action": 1,
            "civic-driven-collaboration": 1,
            "jointly-initiated-collaboration": 1,
            "nso-driven-collaboration": 1,
            "none": 1,
        },
        b.query_url: {
            "civic-action": 1,
            "other-actor-driven-collaboration": 1,
            "non-collaborative": 2,
            "none": 1,
        },
        embedded: {
            "civic-action": 2,
            "civic-driven-collaboration": 1,
            "jointly-initiated-collaboration": 1,
            "nso-driven-collaboration": 1,
            "other-actor-driven-collaboration": 1,
            "non-collaborative": 2,
            "none": 2,
        },
    }


def test_parameters_apply_to_every_registry(cli, registries):
    a, b = registries["a"], registries["b"]
    result = cli(
        "query", "citizen-data-by-sdg", "--param", "sdg=5", "--format", "csv",
        "--endpoint", a.query_url, "--endpoint", b.query_url,
    )  # fmt: skip
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "registry,initiative,title,addressed,type"
    assert sorted(line.split(",")[1].rsplit("/", 1)[-1] for line in lines[1:]) == [
        "i1",
        "i4",
        "i4",
    ]
    assert all(line.startswith(a.query_url) for line in lines[1:]), "SDG 5 is only in A"


def test_registries_file_names_them(cli, registries, tmp_path):
    a, b = registries["a"], registries["b"]
    config = tmp_path / "registries.toml"
    config.write_text(
        f'[registries.kenya]\nendpoint = "{a.query_url}"\n\n'
        f'[registries.ghana]\nendpoint = "{b.query_url}"\ntimeout = 5\n\n'
        f'[registries.everything]\nstore = "{registries["embedded"]}"\n'
    )
    result = cli(
        "query", "initiatives-by-type", "--format", "json", "--registries", str(config),
        "--registry", "kenya", "--registry", "ghana",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert set(counts(json.loads(result.out))) == {"kenya", "ghana"}
    everything = cli(
        "query", "initiatives-by-type", "--format", "json", "--registries", str(config)
    )
    assert set(counts(json.loads(everything.out))) == {"kenya", "ghana", "everything"}
    unknown = cli("query", "initiatives", "--registries", str(config), "--registry", "mars")
    assert unknown.code == 2 and "no registry named 'mars'" in unknown.err


def test_a_hanging_registry_times_out_and_the_others_answer(cli, registries):
    a = registries["a"]
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        hanging = f"http://127.0.0.1:{silent.getsockname()[1]}/query"
        result = cli(
            "query", "initiatives-by-type", "--format", "json", "--timeout", "1",
            "--endpoint", a.query_url, "--endpoint", hanging,
        )  # fmt: skip
    assert result.code == 0
    assert f"registry {hanging} failed" in result.err and "timed out" in result.err
    assert set(counts(json.loads(result.out))) == {a.query_url}


def test_a_server_stopped_mid_way(cli, registries):
    """Acceptance: with one registry down, the others still answer (exit 0, or 1 --strict)."""
    root = registries["root"]
    c = OxigraphServer(root / "c").start()
    load(EndpointStore(c.query_url, c.update_url), [str(p) for p in GHANA])
    args = (
        "query", "initiatives-by-type", "--format", "json",
        "--endpoint", registries["a"].query_url, "--endpoint", c.query_url,
    )  # fmt: skip
    before = cli(*args)
    assert before.code == 0 and set(counts(json.loads(before.out))) == {
        registries["a"].query_url,
        c.query_url,
    }
    c.stop()
    after = cli(*args)
    assert after.code == 0
    assert f"cdkg: registry {c.query_url} failed: cannot reach the endpoint" in after.err
    assert counts(json.loads(after.out)) == {
        registries["a"].query_url: counts(json.loads(before.out))[registries["a"].query_url]
    }
    strict = cli(*args, "--strict")
    assert strict.code == 1 and strict.out == after.out
    alone = cli("query", "initiatives-by-type", "--endpoint", c.query_url)
    assert alone.code == 2 and "cannot reach the endpoint" in alone.err
    all_down = cli(*args[:4], "--endpoint", c.query_url, "--store", str(root / "missing"))
    assert all_down.code == 2 and "no registry answered" in all_down.err


def _initiatives(doc: dict) -> list[str]:
    return [row["initiative"]["value"] for row in doc["results"]["bindings"]]


def test_two_servers_give_one_ordered_answer(cli, registries, tmp_path):
    """The library's ORDER BY orders the merged rows (not registry by registry), and a
    LIMIT/OFFSET pages through the merged answer: the two halves answer as the whole."""
    a, b, embedded = registries["a"], registries["b"], str(registries["embedded"])
    servers = ["--endpoint", b.query_url, "--endpoint", a.query_url]  # b holds i5–i9
    whole = json.loads(cli("query", "initiatives", "--format", "json", "--store", embedded).out)
    merged = cli("query", "initiatives", "--format", "json", *servers)
    assert merged.code == 0, merged.err
    names = _initiatives(json.loads(merged.out))
    assert names == sorted(names) == _initiatives(whole)
    assert len(names) == 10
    page = tmp_path / "page.rq"
    page.write_text(find("initiatives").text + "LIMIT 3 OFFSET 2\n", encoding="utf-8")
    paged = cli("query", str(page), "--format", "json", *servers)
    assert paged.code == 0, paged.err
    assert _initiatives(json.loads(paged.out)) == names[2:5]
