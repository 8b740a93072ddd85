"""The four files of every published resource (``.html``, ``.ttl``, ``.jsonld``, ``.nt``).

Pages are written from the :class:`~cdkg.publish.snapshot.Snapshot` (no query per page)
by up to two processes, each taking every other chunk of the resources; the processes
are forked after the snapshot is read, so they share it without copying it. On a
terminal a progress bar counts the pages.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib import URIRef

from cdkg.publish import rdfout
from cdkg.publish.jsonld import Triple
from cdkg.publish.snapshot import Snapshot
from cdkg.rdf.terms import to_ox, to_rdflib
from cdkg.render import pages
from cdkg.render.data import describe_vocab
from cdkg.render.paths import Layout, Linker

#: Resources per task handed to a worker process.
CHUNK = 250
#: Below this many resources the pages are written in this process.
PARALLEL_FROM = 2000


@dataclass
class Job:
    snap: Snapshot
    layout: Layout
    root: Path
    #: path -> IRI of every resource to write.
    paths: list[tuple[str, str]]
    #: Initiative IRI -> its classification (cdkg.classify.verdicts.InitiativeResult).
    classified: dict[str, Any]
    vocab: frozenset[str]


_JOB: Job | None = None


def write_resources(job: Job, *, workers: int | None = None, progress: bool | None = None) -> int:
    """Write every resource of ``job``; the number of files written."""
    global _JOB
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if len(job.paths) >= PARALLEL_FROM else 1
    if progress is None:
        progress = sys.stderr.isatty()
    chunks = [(i, min(i + CHUNK, len(job.paths))) for i in range(0, len(job.paths), CHUNK)]
    bar = _bar(len(job.paths), progress)
    files = 0
    _JOB = job
    try:
        if workers <= 1 or len(chunks) <= 1:
            for chunk in chunks:
                files += _write_chunk(chunk)
                bar(chunk[1] - chunk[0])
            return files
        gc.collect()
        gc.freeze()  # the forked workers then do not touch (copy) the snapshot's pages
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(workers) as pool:
            for (start, end), n in zip(chunks, pool.imap(_write_chunk, chunks), strict=True):
                files += n
                bar(end - start)
        return files
    finally:
        _JOB = None
        gc.unfreeze()
        bar(0, close=True)


def _bar(total: int, enabled: bool) -> Callable[..., None]:
    if not enabled:
        return lambda n, close=False: None
    from tqdm import tqdm

    tq = tqdm(total=total, desc="pages", unit="resource", file=sys.stderr, leave=False)

    def update(n: int, close: bool = False) -> None:
        if close:
            tq.close()
        else:
            tq.update(n)

    return update


def _write_chunk(chunk: tuple[int, int]) -> int:
    job = _JOB
    assert job is not None
    writer = _Files(job.root)
    linker = Linker(job.layout, static=True)
    for path, iri in job.paths[chunk[0] : chunk[1]]:
        write_resource(job, writer, linker, path, iri)
    return writer.files


class _Files:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.files = 0
        self.folders: set[Path] = set()

    def write(self, rel: str, data: bytes) -> None:
        target = self.root / rel
        if target.parent not in self.folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(target.parent)
        with open(target, "wb") as f:
            f.write(data)
        self.files += 1


def write_resource(job: Job, writer: _Files, linker: Linker, path: str, iri: str) -> None:
    snap = job.snap
    if iri in job.vocab:
        graph = describe_vocab(iri)
        triples: Sequence[Triple] = sorted(
            ((to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph),
            key=_key,
        )
    else:
        triples = snap.describe(iri)
        graph = rdflib.Graph()
        for s, p, o in triples:
            graph.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
    if not triples:
        return
    referrers = [(s, p) for s, p in snap.referrers(iri) if s != iri]
    mentioned = {o.value for _s, _p, o in triples if isinstance(o, ox.NamedNode)}
    mentioned |= {s for s, _ in referrers} | {p.value for _s, p, _o in triples} | {iri}
    jsonld = rdfout.jsonld(triples)
    page = pages.ResourcePage(
        iri=iri,
        path=path,
        graph=graph,
        namer=pages.Namer(snap.names(mentioned)),
        linker=linker.at(path),
        types=snap.types(mentioned),
        referrers=referrers,
        classification=job.classified.get(iri),
        jsonld_text=jsonld,
    )
    writer.write(f"{path}.html", pages.resource_html(page).encode("utf-8"))
    writer.write(f"{path}.ttl", rdfout.turtle(triples))
    writer.write(f"{path}.jsonld", jsonld.encode("utf-8"))
    writer.write(f"{path}.nt", rdfout.ntriples(triples))


def _key(t: Triple) -> tuple[bool, str, str, bool, str]:
    s, p, o = t
    return (isinstance(s, ox.BlankNode), s.value, p.value, isinstance(o, ox.Literal), o.value)


__all__ = ["Job", "URIRef", "write_resources"]
