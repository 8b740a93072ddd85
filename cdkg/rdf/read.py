"""Read RDF sources safely, with errors that name the file, line and column.

A *path* on the command line may be a file, a directory (read recursively, by
extension) or ``-`` for standard input. Formats are chosen by extension or by an
explicit ``input_format``. JSON-LD and YAML-LD never make a network request: the cdkg
context is resolved from the shipped file, any other remote ``@context`` is refused.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
import xml.parsers.expat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph
import rdflib
import yaml
from rdflib import URIRef

from cdkg.errors import InputError, Problem
from cdkg.model.resources import data_dir
from cdkg.rdf.terms import to_rdflib

#: Extension → format name (rdflib's names; ``yaml-ld`` is ours).
FORMATS_BY_EXTENSION: dict[str, str] = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".ntriples": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".yaml": "yaml-ld",
    ".yml": "yaml-ld",
}
#: Names accepted by ``--input-format`` (aliases included).
FORMAT_ALIASES: dict[str, str] = {
    "turtle": "turtle",
    "ttl": "turtle",
    "nt": "nt",
    "ntriples": "nt",
    "n-triples": "nt",
    "nq": "nquads",
    "nquads": "nquads",
    "n-quads": "nquads",
    "trig": "trig",
    "xml": "xml",
    "rdfxml": "xml",
    "rdf/xml": "xml",
    "json-ld": "json-ld",
    "jsonld": "json-ld",
    "yaml-ld": "yaml-ld",
    "yamlld": "yaml-ld",
    "yaml": "yaml-ld",
}
_OXIGRAPH_FORMATS = {
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "nt": pyoxigraph.RdfFormat.N_TRIPLES,
    "nquads": pyoxigraph.RdfFormat.N_QUADS,
    "trig": pyoxigraph.RdfFormat.TRIG,
    "xml": pyoxigraph.RdfFormat.RDF_XML,
}
#: IRIs under which the cdkg JSON-LD context is published; always resolved locally.
CONTEXT_IRIS = frozenset(
    {
        "https://w3id.org/cdkg/context.jsonld",
        "https://w3id.org/cdkg/context",
        "http://w3id.org/cdkg/context.jsonld",
    }
)
STDIN = "-"
#: Generic extensions that are read as RDF only when a file is named explicitly: in a
#: directory walk a ``.json`` or ``.xml`` file is far more often something else (a
#: PPSR-Core record, a list of expected results, a configuration file).
EXPLICIT_ONLY = frozenset({".json", ".xml"})


@dataclass(frozen=True)
class Limits:
    """Bounds on what one source may be; set by environment variables or per call."""

    max_bytes: int = 512 * 1024 * 1024
    max_triples: int = 20_000_000
    max_yaml_nodes: int = 1_000_000

    @classmethod
    def from_env(cls) -> Limits:
        """Limits from ``CDKG_MAX_BYTES`` and ``CDKG_MAX_TRIPLES`` (defaults otherwise)."""
        default = cls()

        def read(name: str, fallback: int) -> int:
            raw = os.environ.get(name)
            if not raw:
                return fallback
            try:
                return int(raw)
            except ValueError:
                raise InputError.single(
                    name, f"must be a whole number, not {raw!r}", hint="e.g. 100000000"
                ) from None

        return cls(
            read("CDKG_MAX_BYTES", default.max_bytes),
            read("CDKG_MAX_TRIPLES", default.max_triples),
            default.max_yaml_nodes,
        )


@dataclass(frozen=True)
class Source:
    """One input document: where it came from, its format and its bytes."""

    name: str
    format: str
    data: bytes
    path: Path | None = None

    @property
    def is_dataset_format(self) -> bool:
        return self.format in ("nquads", "trig")


def format_for(name: str, explicit: str | None = None) -> str:
    """The format of a source named ``name``, or :class:`InputError` saying how to pick one."""
    if explicit:
        fmt = FORMAT_ALIASES.get(explicit.lower())
        if fmt is None:
            known = ", ".join(sorted(set(FORMAT_ALIASES)))
            raise InputError.single(
                name, f"unknown input format {explicit!r}", hint=f"use one of: {known}"
            )
        return fmt
    suffix = Path(name).suffix.lower()
    fmt = FORMATS_BY_EXTENSION.get(suffix)
    if fmt is None:
        known = " ".join(sorted(FORMATS_BY_EXTENSION))
        raise InputError.single(
            name,
            f"cannot tell the RDF format from the extension {suffix or '(none)'!r}",
            hint=f"rename the file to one of {known} or pass --input-format",
        )
    return fmt


def expand_paths(
    paths: Iterable[str], explicit_format: str | None = None
) -> list[tuple[str, Path | None]]:
    """Files named by ``paths``: directories recursively, ``-`` as stdin.

    A directory contributes its files with RDF extensions (:data:`FORMATS_BY_EXTENSION`)
    except hidden ones and the generic ``.json``/``.xml`` (:data:`EXPLICIT_ONLY`), which
    are read only when named explicitly or with ``--input-format``.
    """
    found: list[tuple[str, Path | None]] = []
    problems: list[Problem] = []
    for raw in paths:
        if raw == STDIN:
            found.append((STDIN, None))
            continue
        path = Path(raw)
        if path.is_dir():
            wanted = set(FORMATS_BY_EXTENSION)
            if explicit_format is None:
                wanted -= EXPLICIT_ONLY
            files = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in wanted
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not files:
                problems.append(
                    Problem(
                        raw,
                        "directory holds no RDF files",
                        hint="expected files ending " + " ".join(sorted(wanted)),
                    )
                )
            found.extend((str(p), p) for p in files)
        elif path.is_file():
            found.append((raw, path))
        elif path.exists():
            problems.append(Problem(raw, "not a regular file or directory"))
        else:
            problems.append(Problem(raw, "no such file or directory", hint="check the path"))
    if problems:
        raise InputError(problems)
    return found


def read_sources(
    paths: Iterable[str], input_format: str | None = None, limits: Limits | None = None
) -> list[Source]:
    """Read every file named by ``paths`` into memory, checking formats and sizes first."""
    limits = limits or Limits.from_env()
    sources: list[Source] = []
    problems: list[Problem] = []
    for name, path in expand_paths(paths, input_format):
        try:
            if path is None:
                if input_format is None:
                    raise InputError.single(
                        "<stdin>",
                        "cannot tell the format of standard input",
                        hint="pass --input-format, e.g. --input-format turtle",
                    )
                fmt = format_for("<stdin>", input_format)
                data = sys.stdin.buffer.read(limits.max_bytes + 1)
                _check_size("<stdin>", len(data), limits)
                sources.append(Source("<stdin>", fmt, data, None))
            else:
                fmt = format_for(name, input_format)
                _check_size(name, path.stat().st_size, limits)
                sources.append(Source(name, fmt, path.read_bytes(), path))
        except InputError as exc:
            problems.extend(exc.problems)
        except OSError as exc:
            problems.append(Problem(name, f"cannot read: {exc.strerror or exc}"))
    if problems:
        raise InputError(problems)
    return sources


def _check_size(name: str, size: int, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise InputError.single(
            name,
            f"the file is larger than the limit of {limits.max_bytes} bytes",
            hint="split it, or raise the limit with CDKG_MAX_BYTES",
        )


# --------------------------------------------------------------------------- JSON-LD


def local_context() -> dict[str, Any]:
    """The cdkg JSON-LD context, read from the shipped ``ontology/context.jsonld``."""
    ctx_file = data_dir("ontology") / "context.jsonld"
    doc = json.loads(ctx_file.read_text(encoding="utf-8"))
    ctx = doc.get("@context", doc)
    if not isinstance(ctx, dict):
        raise ValueError("ontology/context.jsonld has no @context object")
    return ctx


def _resolve_contexts(node: Any, source: str) -> Any:
    """Replace references to our context by its content; refuse any other remote context."""
    if isinstance(node, list):
        return [_resolve_contexts(n, source) for n in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "@context":
            out[key] = _resolve_context_value(value, source)
        else:
            out[key] = _resolve_contexts(value, source)
    return out


def _resolve_context_value(value: Any, source: str) -> Any:
    if isinstance(value, list):
        return [_resolve_context_value(v, source) for v in value]
    if isinstance(value, str):
        if value in CONTEXT_IRIS:
            return local_context()
        raise InputError.single(
            source,
            f"the JSON-LD @context {value!r} is a remote document, which cdkg never fetches",
            hint="use https://w3id.org/cdkg/context.jsonld (resolved locally) or an inline context",
        )
    if isinstance(value, dict):
        # "@import", a wrapped "@context", and the scoped context of any expanded term
        # definition ({"term": {"@id": …, "@context": …}}) may name a remote document too.
        return {
            k: (
                _resolve_context_value(v, source)
                if k in ("@import", "@context")
                else _resolve_scoped_context(v, source)
            )
            for k, v in value.items()
        }
    return value


def _resolve_scoped_context(definition: Any, source: str) -> Any:
    if isinstance(definition, dict) and "@context" in definition:
        return {
            k: (_resolve_context_value(v, source) if k == "@context" else v)
            for k, v in definition.items()
        }
    return definition


def _json_document(source: Source) -> Any:
    text = source.data.decode("utf-8-sig", errors="strict")
    if source.format == "yaml-ld":
        try:
            _check_yaml_aliases(text, source.name, Limits.from_env())
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise InputError.single(
                source.name,
                f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
                line=mark.line + 1 if mark else None,
                column=mark.column + 1 if mark else None,
            ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError.single(
            source.name, f"not valid JSON: {exc.msg}", line=exc.lineno, column=exc.colno
        ) from None
    except RecursionError:
        raise InputError.single(
            source.name, "the JSON is nested too deeply to be an initiative description"
        ) from None


def _check_yaml_aliases(text: str, name: str, limits: Limits) -> None:
    """Refuse alias bombs ("billion laughs" in YAML) before anything expands them.

    Walks the parse events and adds up how many nodes the document would have once
    every ``*alias`` is expanded, without expanding anything.
    """
    anchors: dict[str, int] = {}
    stack: list[tuple[str | None, int]] = [(None, 0)]
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            size = anchors.get(event.anchor or "", 1)
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            stack.append((event.anchor, 1))
            continue
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            anchor, size = stack.pop()
            if anchor:
                anchors[anchor] = size
        elif isinstance(event, yaml.ScalarEvent):
            size = 1
            if event.anchor:
                anchors[event.anchor] = 1
        else:
            continue
        anchor, total = stack[-1]
        stack[-1] = (anchor, total + size)
        if total + size > limits.max_yaml_nodes:
            mark = event.start_mark
            raise InputError.single(
                name,
                f"expanding its YAML aliases would give more than {limits.max_yaml_nodes} "
                "nodes; refused as a possible alias bomb",
                line=mark.line + 1 if mark else None,
                hint="write the values out instead of using *aliases",
            )


def _check_xml_entities(source: Source) -> None:
    """Refuse XML that declares external entities or entities built from other entities.

    Together with expat's own amplification limit this stops entity-expansion bombs
    ("billion laughs") and external entity reads before the RDF/XML parser runs.
    """
    parser = xml.parsers.expat.ParserCreate()
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def on_entity(
        name: str,
        is_parameter: int,
        value: str | None,
        base: str | None,
        system_id: str | None,
        public_id: str | None,
        notation: str | None,
    ) -> None:
        line = parser.CurrentLineNumber
        if system_id or public_id:
            raise InputError.single(
                source.name,
                f"the XML declares the external entity {name!r}; cdkg never reads external "
                "entities",
                line=line,
                hint="remove the entity declaration",
            )
        if value is not None and ("&" in value or "%" in value):
            raise InputError.single(
                source.name,
                f"the XML entity {name!r} is built from other entities; refused as a possible "
                "entity-expansion bomb",
                line=line,
                hint="write the value out in full",
            )

    parser.EntityDeclHandler = on_entity
    try:
        parser.Parse(source.data, True)
    except xml.parsers.expat.ExpatError as exc:
        raise InputError.single(
            source.name,
            f"not valid XML: {xml.parsers.expat.ErrorString(exc.code)}",
            line=exc.lineno,
            column=exc.offset + 1,
        ) from None


# --------------------------------------------------------------------------- parsing


def _locate_with_oxigraph(source: Source) -> tuple[str, int | None, int | None] | None:
    """Ask Oxigraph's parser where the syntax error is (it reports line and column)."""
    fmt = _OXIGRAPH_FORMATS.get(source.format)
    if fmt is None:
        return None
    try:
        for _ in pyoxigraph.parse(source.data, format=fmt, base_iri="file:///input"):
            pass
    except SyntaxError as exc:
        line = getattr(exc, "lineno", None)
        column = getattr(exc, "offset", None)
        message = str(getattr(exc, "msg", None) or exc)
        return message, line, column
    except Exception:
        return None
    return None


def _parse_lines_with_oxigraph(graph: rdflib.Graph | rdflib.Dataset, source: Source) -> None:
    """Read N-Triples or N-Quads with Oxigraph's parser into an rdflib graph or dataset."""
    fmt = _OXIGRAPH_FORMATS[source.format]
    try:
        quads = list(pyoxigraph.parse(source.data, format=fmt))
    except SyntaxError as exc:
        raise InputError.single(
            source.name,
            f"not valid {source.format}: {getattr(exc, 'msg', None) or exc}",
            line=getattr(exc, "lineno", None),
            column=getattr(exc, "offset", None),
        ) from None
    for quad in quads:
        try:
            triple = (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))
            name = quad.graph_name
            if isinstance(graph, rdflib.Dataset) and not isinstance(name, pyoxigraph.DefaultGraph):
                graph.graph(to_rdflib(name)).add(triple)
            else:
                graph.add(triple)
        except ValueError as exc:  # an RDF 1.2 triple term
            raise InputError.single(source.name, str(exc)) from None


def parse_into(graph: rdflib.Graph | rdflib.Dataset, source: Source) -> None:
    """Parse ``source`` into ``graph`` or raise :class:`InputError` naming file, line and column."""
    if not source.data.strip():
        raise InputError.single(source.name, "the file is empty", hint="give a file with RDF data")
    public_id = source.path.resolve().as_uri() if source.path else "urn:cdkg:stdin"
    try:
        if source.format in ("json-ld", "yaml-ld"):
            doc = _resolve_contexts(_json_document(source), source.name)
            graph.parse(data=json.dumps(doc), format="json-ld", publicID=public_id)
        elif source.format == "xml":
            _check_xml_entities(source)
            graph.parse(data=source.data, format=source.format, publicID=public_id)
        elif source.format in ("nt", "nquads"):
            # rdflib's line-based parser takes time quadratic in a literal's length (a
            # 2 MB literal: 15 s); Oxigraph reads these formats in linear time, strictly.
            _parse_lines_with_oxigraph(graph, source)
        else:
            _check_strictly(source)
            graph.parse(data=source.data, format=source.format, publicID=public_id)
    except InputError:
        raise
    except UnicodeDecodeError as exc:
        raise InputError.single(source.name, f"not UTF-8 text ({exc.reason})") from None
    except Exception as exc:
        located = _locate_with_oxigraph(source)
        if located is not None:
            message, line, column = located
            raise InputError.single(
                source.name, f"not valid {source.format}: {message}", line=line, column=column
            ) from None
        line = getattr(exc, "lines", None) or getattr(exc, "lineno", None)
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError.single(
            source.name,
            f"not valid {source.format}: {first}",
            line=line if isinstance(line, int) else None,
        ) from None


def iter_parsed(
    sources: Iterable[Source], limits: Limits | None = None
) -> Iterator[tuple[Source, rdflib.Dataset]]:
    """Each source parsed into its own dataset; all problems are collected before raising."""
    limits = limits or Limits.from_env()
    problems: list[Problem] = []
    parsed: list[tuple[Source, rdflib.Dataset]] = []
    for source in sources:
        ds = rdflib.Dataset()
        try:
            parse_into(ds if source.is_dataset_format else ds.default_graph, source)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        bad_iri = None if source.format in _STRICTLY_CHECKED else _invalid_iri(ds)
        if bad_iri is not None:
            problems.append(_invalid_iri_problem(source, bad_iri))
            continue
        if len(ds) > limits.max_triples:
            problems.append(
                Problem(
                    source.name,
                    f"holds {len(ds)} triples, more than the limit of {limits.max_triples}",
                    hint="split it, or raise the limit with CDKG_MAX_TRIPLES",
                )
            )
            continue
        parsed.append((source, ds))
    if problems:
        raise InputError(problems)
    yield from parsed


#: Formats Oxigraph's strict parser checks before rdflib reads them (rdflib lets some
#: invalid IRIs through, which would break serialisation and the store later).
_STRICTLY_CHECKED = frozenset({"turtle", "nt", "nquads", "trig"})


def _check_strictly(source: Source) -> None:
    if source.format not in _STRICTLY_CHECKED:
        return
    located = _locate_with_oxigraph(source)
    if located is not None:
        message, line, column = located
        raise InputError.single(
            source.name, f"not valid {source.format}: {message}", line=line, column=column
        )


#: Characters no IRI may hold (RFC 3987); rdflib's parsers let some through.
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _invalid_iri(ds: rdflib.Dataset) -> str | None:
    """The first IRI in ``ds`` that is not a valid IRI, or None."""
    iris = {t for quad in ds.quads((None, None, None, None)) for t in quad if type(t) is URIRef}
    for iri in iris:
        if _NOT_IN_IRI.search(iri):
            return str(iri)
    return None


def _invalid_iri_problem(source: Source, iri: str) -> Problem:
    located = _locate_with_oxigraph(source)
    line, column = (located[1], located[2]) if located else (None, None)
    char = _NOT_IN_IRI.search(iri)
    return Problem(
        source.name,
        f"{iri[:80]!r} is not a valid IRI: it contains {char.group(0) if char else '?'!r}",
        line,
        column,
        hint='IRIs may not hold spaces, control characters or any of <>"{}|^`\\ '
        "(percent-encode them)",
    )


def load_graph(paths: Iterable[str], input_format: str | None = None) -> rdflib.Graph:
    """Read ``paths`` and merge every triple (all named graphs included) into one graph."""
    graph = rdflib.Graph()
    for _source, ds in iter_parsed(read_sources(paths, input_format)):
        for s, p, o, _g in ds.quads((None, None, None, None)):
            graph.add((s, p, o))
    return graph


def graph_from_text(text: str, fmt: str = "turtle", name: str = "<input>") -> rdflib.Graph:
    """Parse a string (e.g. a web form submission) with the same safety and errors."""
    source = Source(name, format_for(name, fmt), text.encode("utf-8"))
    graph = rdflib.Graph()
    for _source, ds in iter_parsed([source]):
        for s, p, o, _g in ds.quads((None, None, None, None)):
            graph.add((s, p, o))
    return graph


def dump(graph: rdflib.Graph, fmt: str = "turtle") -> str:
    """Serialise ``graph`` as text."""
    buf = io.BytesIO()
    graph.serialize(buf, format=fmt)
    return buf.getvalue().decode("utf-8")
