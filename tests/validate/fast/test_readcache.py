"""The fast engine keeps what each query reads between runs (cdkg.validate.fast.readcache)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cdkg.validate.fast import depends, readcache

QUERY = """SELECT ?this WHERE {
  ?this <urn:ex:p> ?x . ?x a <urn:ex:C> .
  FILTER NOT EXISTS { ?this <urn:ex:q> ?y }
}"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CDKG_CACHE_DIR", str(tmp_path))
    readcache.forget()
    yield tmp_path / readcache.CACHE_FILE
    readcache.forget()


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = depends.reads

    def counted(query: str, *, skip_this_subject: bool = False) -> depends.Reads:
        calls.append(query)
        return real(query, skip_this_subject=skip_this_subject)

    monkeypatch.setattr(depends, "reads", counted)
    return calls


def test_a_later_run_reads_the_answer_from_the_cache(cache, monkeypatch):
    calls = _counting(monkeypatch)
    first = readcache.cached_reads(QUERY, False)
    assert first.predicates == {"urn:ex:p", "urn:ex:q", depends._TYPE}
    assert first.classes == {"urn:ex:C"}
    assert cache.is_file() and len(calls) == 1
    readcache.forget()  # as a new process would start
    again = readcache.cached_reads(QUERY, False)
    assert again == first and len(calls) == 1
    # another flag is another question
    # (patterns about ?this left out)
    assert readcache.cached_reads(QUERY, True).predicates == {depends._TYPE}
    assert len(calls) == 2


def test_a_damaged_cache_or_other_analysis_code_is_not_believed(cache, monkeypatch):
    calls = _counting(monkeypatch)
    cache.write_text("{not json", encoding="utf-8")
    assert readcache.cached_reads(QUERY, False).classes == {"urn:ex:C"}
    assert len(calls) == 1
    readcache.forget()
    monkeypatch.setattr(readcache, "_analysis", lambda: "other code")
    readcache.cached_reads(QUERY, False)
    assert len(calls) == 2


def test_an_unwritable_cache_folder_is_ignored(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("CDKG_CACHE_DIR", str(blocked / "cache"))
    readcache.forget()
    try:
        assert readcache.cached_reads(QUERY, False).predicates
    finally:
        readcache.forget()
