"""The embedded backend: an Oxigraph store in a directory on disk (pyoxigraph)."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

from cdkg.rdf.memory import gc_paused
from cdkg.rdf.order import plan as order_plan
from cdkg.store import tsv
from cdkg.store.base import (
    Change,
    Payload,
    Prewrite,
    Results,
    SourceText,
    Store,
    StoreError,
)

ENV_STORE = "CDKG_STORE"
#: Written before a bulk load and removed after it; its presence means a load was cut off.
JOURNAL = "cdkg-load-journal.nq"


def _sync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _as_graph_blocks(nquads: str) -> str:
    """N-Quads lines as ``GRAPH <g> { s p o . }`` blocks for a SPARQL update."""
    return "\n".join(
        f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} . }}"
        for q in ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    )


def default_store_dir() -> Path:
    """``$CDKG_STORE``, else ``$XDG_DATA_HOME/cdkg/store``, else ``~/.local/share/cdkg/store``."""
    explicit = os.environ.get(ENV_STORE)
    if explicit:
        return Path(explicit).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home).expanduser() / "cdkg" / "store"


def _bulk_load_text(store: ox.Store, src: SourceText) -> None:
    # lenient: the text was parsed (strictly) before it got here
    store.bulk_load(
        src.data,
        format=src.format,
        base_iri=src.base_iri,
        to_graph=ox.NamedNode(src.graph),
        lenient=True,
    )


class _Prewrite(Prewrite):
    """Source texts bulk-loaded on a thread of their own, under the store's journal."""

    def __init__(self, store: EmbeddedStore, texts: Sequence[SourceText]) -> None:
        self.store = store
        self.graphs = frozenset(t.graph for t in texts)
        self.error: BaseException | None = None
        self.done = False
        self._thread = threading.Thread(
            target=self._run, args=(texts,), name="cdkg-prewrite", daemon=True
        )
        self._thread.start()

    def _run(self, texts: Sequence[SourceText]) -> None:
        try:
            for src in texts:
                _bulk_load_text(self.store.oxigraph, src)
        except BaseException as exc:  # raised again by wait()
            self.error = exc

    def wait(self) -> None:
        self._thread.join()
        if self.error is not None:
            raise self.error

    def abort(self) -> None:
        self._thread.join()
        if not self.done:
            self.store._recover()
            self.done = True


class EmbeddedStore(Store):
    """An Oxigraph (RocksDB) store on disk, opened read-write by one process at a time.

    Queries see the union of all named graphs as their default graph. Writes are atomic:
    a change that only adds new graphs is written with Oxigraph's bulk loader and undone
    if it fails part-way; a change that replaces or deletes anything runs as one SPARQL
    Update, which Oxigraph applies in a single transaction.
    """

    def __init__(
        self, path: str | os.PathLike[str], *, create: bool = True, read_only: bool = False
    ) -> None:
        self.path = Path(path).expanduser()
        self.name = str(path)
        #: Opened with :meth:`pyoxigraph.Store.read_only`: queries only, no lock taken.
        self.read_only = read_only
        if not create and not (self.path / "CURRENT").is_file():
            raise StoreError(
                self.name,
                "no store here",
                hint="load descriptions first with 'cdkg load PATH --store DIR'",
            )
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(self.name, "not a directory", hint="give a directory for the store")
        if read_only:
            if not (self.path / "CURRENT").is_file():
                raise StoreError(self.name, "no store here")
            try:
                self._store = ox.Store.read_only(str(self.path))
            except OSError as exc:
                raise StoreError(self.name, f"cannot open the store: {exc}") from None
            return
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            self._store = ox.Store(str(self.path))
        except OSError as exc:
            text = str(exc)
            if "lock" in text.lower():
                raise StoreError(
                    self.name,
                    "the store is in use by another process",
                    hint="wait for it to finish, or query it through its endpoint",
                ) from None
            raise StoreError(self.name, f"cannot open the store: {text}") from None
        self._recover()

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying Oxigraph store (for the fast engine; writes go through
        :meth:`apply`)."""
        return self._store

    # ---------------------------------------------------------------- reading

    def query(self, sparql: str, *, timeout: float | None = None) -> Results:
        """The answer to ``sparql`` over the union of the named graphs.

        A SELECT query ending in ``ORDER BY`` of plain variables (the query library's
        form) is evaluated unsorted and its rows ordered by :mod:`cdkg.rdf.order`,
        exactly as Oxigraph would order them but many times faster (Oxigraph decodes
        every term from disk at every comparison); when the values cannot be ordered
        exactly that way, Oxigraph sorts them itself.
        """
        ordering = order_plan(sparql)
        if ordering is not None:
            results = self._select(ordering.body)
            with gc_paused():
                rows = ordering.apply(results.variables, results.rows)
            if rows is not None:
                return Results(results.variables, rows)
        return self._select(sparql)

    def _ask(self, sparql: str) -> ox.QuerySolutions | ox.QueryBoolean:
        try:
            answer = self._store.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise StoreError(self.name, f"the query is not valid SPARQL: {exc}") from None
        except OSError as exc:
            raise StoreError(self.name, f"the query failed: {exc}") from None
        if isinstance(answer, ox.QueryTriples):
            raise StoreError(self.name, "CONSTRUCT/DESCRIBE queries are not supported here")
        return answer

    def _select(self, sparql: str) -> Results:
        answer = self._ask(sparql)
        if isinstance(answer, ox.QueryBoolean):
            return Results(boolean=bool(answer))
        # Read as TSV: far less to write and to read than JSON for a large answer, each
        # distinct term read once (see cdkg.store.tsv); an answer holding a term it does
        # not read (a triple term, a base direction) is asked for again as JSON.
        data = answer.serialize(format=ox.QueryResultsFormat.TSV)
        assert data is not None
        with gc_paused():
            results = tsv.read(data)
        if results is not None:
            return results
        answer = self._ask(sparql)
        assert isinstance(answer, ox.QuerySolutions)
        data = answer.serialize(format=ox.QueryResultsFormat.JSON)
        assert data is not None
        # Oxigraph's document is well-formed: its keys and values are strings already.
        with gc_paused():
            doc = json.loads(data)
        return Results(list(doc["head"].get("vars", [])), doc["results"]["bindings"])

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        name = ox.NamedNode(graph) if graph else None
        for quad in self._store.quads_for_pattern(None, None, None, name):
            if not isinstance(quad.graph_name, ox.DefaultGraph):
                yield quad

    def has_graph(self, graph: str) -> bool:
        for _ in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
            return True
        return False

    def __len__(self) -> int:
        return len(self._store)

    # ---------------------------------------------------------------- writing

    def _deletes_something(self, change: Change, ahead: frozenset[str] = frozenset()) -> bool:
        """Whether applying ``change`` removes anything (graphs in ``ahead`` were written
        ahead of it and do not count)."""
        if any(self.has_graph(g) for g in change.drop_graphs if g not in ahead):
            return True
        for graph, subject in change.delete_about:
            pattern = self._store.quads_for_pattern(
                ox.NamedNode(subject), None, None, ox.NamedNode(graph)
            )
            if next(iter(pattern), None) is not None:
                return True
        return False

    def prewrite(self, texts: Sequence[SourceText]) -> Prewrite | None:
        """Bulk-load ``texts`` on a thread while the change is worked out (its graphs
        must be new); the journal names them from the start, so that a load cut off
        before :meth:`apply` finishes is undone."""
        if self.read_only or not texts or any(self.has_graph(t.graph) for t in texts):
            return None
        self._write_journal([], [t.graph for t in texts])
        return _Prewrite(self, texts)

    def apply(self, change: Change) -> None:
        ahead = change.prewritten
        try:
            if ahead is not None:
                ahead.wait()
            if self._deletes_something(change, ahead.graphs if ahead else frozenset()):
                # one transaction drops the graphs (those written ahead too) and fills them
                text = change.update_text()
                change.started()
                self._store.update(text)
                self._store.flush()
                if ahead is not None:
                    self._journal.unlink(missing_ok=True)
                    _sync_dir(self.path)
            else:
                self._bulk_insert(change.insert, change.payload, ahead, change.started)
            self._store.flush()
        except BaseException as exc:
            if ahead is not None:
                ahead.abort()
            if isinstance(exc, OSError):
                raise StoreError(self.name, f"writing failed, nothing was changed: {exc}") from None
            raise
        if isinstance(ahead, _Prewrite):
            ahead.done = True  # applied: nothing for a later abort() to undo

    def update(self, sparql: str) -> None:
        """One SPARQL Update in one Oxigraph transaction (all of it or none of it)."""
        try:
            self._store.update(sparql)
            self._store.flush()
        except OSError as exc:
            raise StoreError(self.name, f"writing failed, nothing was changed: {exc}") from None

    def _bulk_insert(
        self,
        quads: list[ox.Quad],
        payload: Payload | None = None,
        ahead: Prewrite | None = None,
        started: Callable[[], None] = lambda: None,
    ) -> None:
        """Bulk-load quads into graphs that are new; on failure remove what was written.

        Oxigraph's bulk loader is not transactional, so a process killed part-way would
        leave part of the batch behind. Before loading, a journal naming the new graphs
        (and the few quads added to graphs that already exist) is written and synced;
        it is removed once the load is flushed. Opening a store that still has a journal
        undoes the interrupted load in one transaction (:meth:`_recover`). The source
        texts in ``ahead`` are already written (under the journal, see :meth:`prewrite`).
        """
        graphs = [*(payload.graphs if payload else ()), *(ahead.graphs if ahead else ())]
        self._write_journal(quads, graphs, ahead.graphs if ahead else frozenset())
        try:
            self._store.bulk_extend(quads)
            started()  # what follows is Oxigraph's own work, without Python's lock
            if payload is not None:
                if payload.nquads:
                    self._store.bulk_load(payload.nquads, format=ox.RdfFormat.N_QUADS)
                for src in payload.sources:
                    if ahead is None or src.graph not in ahead.graphs:
                        _bulk_load_text(self._store, src)
            self._store.flush()
        except BaseException:
            self._recover()
            raise
        self._journal.unlink()
        _sync_dir(self.path)

    @property
    def _journal(self) -> Path:
        return self.path / JOURNAL

    def _write_journal(
        self,
        quads: list[ox.Quad],
        bulk_graphs: Iterable[str] = (),
        ahead: frozenset[str] = frozenset(),
    ) -> None:
        """Name the new graphs (``ahead``: written ahead, new all the same) and the quads
        added to existing ones, in a synced journal."""
        graphs = {q.graph_name for q in quads if isinstance(q.graph_name, ox.NamedNode)}
        graphs.update(ox.NamedNode(g) for g in bulk_graphs)
        existing = {g for g in graphs if g.value not in ahead and self.has_graph(g.value)}
        lines = [f"# new graph {g}" for g in sorted(graphs - existing, key=str)]
        lines += [
            f"{q.subject} {q.predicate} {q.object} {q.graph_name} ."
            for q in quads
            if q.graph_name in existing and q not in self._store
        ]
        pending = self.path / (JOURNAL + ".tmp")
        with open(pending, "w", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(pending, self._journal)
        _sync_dir(self.path)

    def _recover(self) -> None:
        """Undo a bulk load that did not finish (its journal is still there)."""
        if not self._journal.is_file():
            return
        text = self._journal.read_text(encoding="utf-8")
        ops = [
            f"DROP SILENT GRAPH {line.removeprefix('# new graph ').strip()}"
            for line in text.splitlines()
            if line.startswith("# new graph ")
        ]
        added = "\n".join(
            line for line in text.splitlines() if line.strip() and not line.startswith("#")
        )
        if added:
            ops.append(f"DELETE DATA {{ {_as_graph_blocks(added)} }}")
        if ops:
            self._store.update(" ;\n".join(ops))
        self._store.flush()
        self._journal.unlink()
        _sync_dir(self.path)

    def close(self) -> None:
        store = self.__dict__.pop("_store", None)
        if store is not None and not self.read_only:
            store.flush()
