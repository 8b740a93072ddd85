"""What each query of the fast engine reads (:func:`cdkg.validate.fast.depends.reads`), kept
between runs in the cache folder (``$CDKG_CACHE_DIR``, else ``~/.cache/cdkg``).

Working it out parses every query of the shapes with rdflib's SPARQL parser, which
takes about a second: more than a small load spends on everything else. An entry is
keyed by the query text and by the analysis code itself, so an edited shape or a new
release of the analysis never reads a stale answer. A cache that cannot be read or
written is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from cdkg.model.vocab import default_cache_dir
from cdkg.validate.fast import depends
from cdkg.validate.fast.depends import Reads

CACHE_FILE = "fast-engine-reads.json"
_lock = threading.Lock()
_entries: dict[str, Any] | None = None


@lru_cache(maxsize=1)
def _analysis() -> str:
    """A digest of the analysis code (entries made by other code do not count)."""
    return hashlib.sha256(Path(depends.__file__).read_bytes()).hexdigest()[:16]


def cache_path() -> Path:
    return default_cache_dir() / CACHE_FILE


def _load() -> dict[str, Any]:
    global _entries
    if _entries is None:
        try:
            doc = json.loads(cache_path().read_text(encoding="utf-8"))
            _entries = doc if isinstance(doc, dict) else {}
        except (OSError, ValueError):
            _entries = {}
    return _entries


def _save(entries: dict[str, Any]) -> None:
    path = cache_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".reads-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(entries, out)
        os.replace(tmp, path)
    except OSError:
        pass


def _decode(entry: Any) -> Reads | None:
    try:
        classes = entry["classes"]
        return Reads(
            everything=bool(entry["everything"]),
            predicates={str(p) for p in entry["predicates"]},
            classes=None if classes is None else {str(c) for c in classes},
        )
    except (KeyError, TypeError):
        return None


def cached_reads(query: str, skip_this_subject: bool) -> Reads:
    """:func:`cdkg.validate.fast.depends.reads` of ``query``, from the cache when it is there."""
    key = hashlib.sha256(f"{_analysis()}\0{int(skip_this_subject)}\0{query}".encode()).hexdigest()
    with _lock:
        entry = _load().get(key)
    found = _decode(entry) if entry is not None else None
    if found is not None:
        return found
    found = depends.reads(query, skip_this_subject=skip_this_subject)
    with _lock:
        entries = _load()
        entries[key] = {
            "everything": found.everything,
            "predicates": sorted(found.predicates),
            "classes": None if found.classes is None else sorted(found.classes),
        }
        _save(entries)
    return found


def forget() -> None:
    """Drop what this process read from the cache (the file stays)."""
    global _entries
    with _lock:
        _entries = None
