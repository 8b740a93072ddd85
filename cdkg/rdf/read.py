"""Read RDF sources safely, with errors that name the file, line and column.

A *path* on the command line may be a file, a directory (read recursively, by
extension) or ``-`` for standard input. Formats are chosen by extension or by an
explicit ``input_format``. JSON-LD and YAML-LD never make a network request: the cdkg
context is resolved from the shipped file, any other remote ``@context`` is refused.

A UTF-8 byte-order mark at the start of a file is skipped, whatever the format. What a
file may amount to is bounded (:class:`Limits`): its size, its triples, how deeply its
nodes nest (Python's parsers recurse), and how much its YAML aliases expand to.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
import xml.parsers.expat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pyoxigraph
import rdflib
import yaml
from rdflib import URIRef

from cdkg.errors import InputError, Problem, clip, quote
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
#: The UTF-8 byte-order mark some editors (Notepad, Excel's CSV UTF-8) write first.
BOM = b"\xef\xbb\xbf"
#: Generic extensions that are read as RDF only when a file is named explicitly: in a
#: directory walk a ``.json`` or ``.xml`` file is far more often something else (a
#: PPSR-Core record, a list of expected results, a configuration file).
EXPLICIT_ONLY = frozenset({".json", ".xml"})


@dataclass(frozen=True)
class Limits:
    """Bounds on what one source may be; set by environment variables or per call.

    ``max_bytes`` also bounds what a YAML document amounts to once its aliases are
    expanded (a small file must not become a larger one than cdkg would read).
    ``max_nesting`` bounds blank nodes and collections inside each other in Turtle and
    TriG (``[ ex:p [ ex:p ( … ) ] ]``) and objects and arrays inside each other in
    JSON-LD and YAML-LD: the parsers recurse once per level, and an initiative
    description needs a handful of levels.
    """

    max_bytes: int = 512 * 1024 * 1024
    max_triples: int = 20_000_000
    max_yaml_nodes: int = 1_000_000
    max_nesting: int = 64

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
                    name, f"must be a whole number, not {quote(raw)}", hint="e.g. 100000000"
                ) from None

        return replace(
            default,
            max_bytes=read("CDKG_MAX_BYTES", default.max_bytes),
            max_triples=read("CDKG_MAX_TRIPLES", default.max_triples),
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
                name, f"unknown input format {quote(explicit)}", hint=f"use one of: {known}"
            )
        return fmt
    suffix = Path(name).suffix.lower()
    fmt = FORMATS_BY_EXTENSION.get(suffix)
    if fmt is None:
        known = " ".join(sorted(FORMATS_BY_EXTENSION))
        raise InputError.single(
            name,
            f"cannot tell the RDF format from the extension {quote(suffix or '(none)')}",
            hint=f"rename the file to one of {known} or pass --input-format",
        )
    return fmt


def shown_name(path: str) -> str:
    """``path`` as text that can be printed and stored: a file name that is not UTF-8
    (``b"bad\\xff.ttl"``, which Python holds as a lone surrogate) shows its odd bytes as
    ``\\xff``."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", errors="backslashreplace")
    return path


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
            found.extend((shown_name(str(p)), p) for p in files)
        elif path.is_file():
            found.append((shown_name(raw), path))
        elif path.exists():
            problems.append(Problem(shown_name(raw), "not a regular file or directory"))
        else:
            problems.append(
                Problem(shown_name(raw), "no such file or directory", hint="check the path")
            )
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
                sources.append(without_bom(Source("<stdin>", fmt, data, None)))
            else:
                fmt = format_for(name, input_format)
                _check_size(name, path.stat().st_size, limits)
                sources.append(without_bom(Source(name, fmt, path.read_bytes(), path)))
        except InputError as exc:
            problems.extend(exc.problems)
        except OSError as exc:
            problems.append(Problem(name, f"cannot read: {exc.strerror or exc}"))
    if problems:
        raise InputError(problems)
    return sources


def without_bom(source: Source) -> Source:
    """``source`` without the UTF-8 byte-order mark its text may start with (Oxigraph,
    rdflib and the JSON reader would each refuse it or read it as a character)."""
    if source.data.startswith(BOM):
        return replace(source, data=source.data[len(BOM) :])
    return source


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
            f"the JSON-LD @context {quote(value)} is a remote document, which cdkg never fetches",
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


def _json_document(source: Source, limits: Limits) -> Any:
    text = source.data.decode("utf-8-sig", errors="strict")
    if source.format == "yaml-ld":
        return safe_yaml(text, source.name, limits)
    return safe_json(text, source.name, limits)


def safe_yaml(text: str, name: str, limits: Limits | None = None) -> Any:
    """The YAML document ``text``, or :class:`InputError` naming ``name``, line and column:
    refused when its aliases would expand beyond the bounds, when it contains itself,
    when it nests more than ``limits.max_nesting`` deep or holds a lone surrogate. For
    every reader of YAML a person gives (``yaml.safe_load`` alone expands an alias bomb)."""
    limits = limits or Limits.from_env()
    try:
        _check_yaml_events(text, name, limits)
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError.single(
            name,
            f"not valid YAML: {clip(str(getattr(exc, 'problem', None) or exc))}",
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    _check_tree(doc, text, name, limits)
    return doc


def safe_json(text: str, name: str, limits: Limits | None = None) -> Any:
    """The JSON document ``text``, or :class:`InputError` naming ``name``, line and column:
    refused when it nests more than ``limits.max_nesting`` deep or holds a lone
    surrogate (``"\\ud800"``). For every reader of JSON a person gives."""
    limits = limits or Limits.from_env()
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError.single(
            name, f"not valid JSON: {exc.msg}", line=exc.lineno, column=exc.colno
        ) from None
    except RecursionError:
        raise _too_deep(name, limits, "objects and arrays") from None
    _check_tree(doc, text, name, limits)
    return doc


def _too_deep(
    name: str, limits: Limits, what: str, line: int | None = None, column: int | None = None
) -> InputError:
    return InputError.single(
        name,
        f"{what} are nested too deeply: more than {limits.max_nesting} levels inside each "
        "other, far more than an initiative description needs; refused",
        line=line,
        column=column,
        hint="give deeply nested nodes their own identifiers and refer to them",
    )


#: A ``\\uXXXX`` escape of a UTF-16 surrogate in JSON or YAML text: a pair (high, low)
#: is one character; either half alone is not a character at all.
_SURROGATE_ESCAPE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(\\u[dD][c-fC-F][0-9a-fA-F]{2})?|\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_tree(doc: Any, text: str, name: str, limits: Limits) -> None:
    """Refuse a JSON or YAML document nested more than ``limits.max_nesting`` deep (the
    JSON-LD processor recurses once per level) or holding a lone surrogate (``"\\ud800"``:
    valid JSON, but no character; nothing downstream can encode it). Walks without
    recursion; aliases of a YAML document are walked once per use, which the alias
    check has bounded."""
    stack: list[tuple[Any, int]] = [(doc, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, str):
            if _SURROGATE.search(node):
                raise _lone_surrogate(node, text, name)
            continue
        if isinstance(node, dict):
            children: list[Any] = [*node.keys(), *node.values()]
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > limits.max_nesting:
            raise _too_deep(name, limits, "objects and arrays")
        stack.extend((child, depth + 1) for child in children)


def _lone_surrogate(value: str, text: str, name: str) -> InputError:
    found = _SURROGATE.search(value)
    char = f"\\u{ord(found.group(0)):04x}" if found else "?"
    line = column = None
    for match in _SURROGATE_ESCAPE.finditer(text):
        if match.group(1) is None:  # a pair is matched whole; this half is alone
            line = text.count("\n", 0, match.start()) + 1
            column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
            break
    return InputError.single(
        name,
        f"the text {quote(value, 60)} holds {char}, half of a UTF-16 surrogate pair "
        "without its other half: not a character",
        line=line,
        column=column,
        hint="remove the escape, or write the character itself: the file is UTF-8",
    )


#: What any YAML document may expand to through its aliases (bytes), however small.
YAML_EXPANSION_FLOOR = 16 * 1024 * 1024
#: How many times its own size a YAML document may expand to through its aliases.
YAML_EXPANSION_FACTOR = 10


def yaml_expansion_limit(size: int, limits: Limits) -> int:
    """The most characters a YAML text of ``size`` may amount to with its aliases
    expanded: ten times its size, at least 16 MiB, at most the limit on a file."""
    return min(limits.max_bytes, max(YAML_EXPANSION_FLOOR, YAML_EXPANSION_FACTOR * size))


def _check_yaml_events(text: str, name: str, limits: Limits) -> None:
    """Refuse alias bombs ("billion laughs" in YAML) and deep nesting before anything
    builds the document.

    Walks the parse events (PyYAML's parser does not recurse; its composer does) and
    adds up how many nodes, and how many characters of scalars, the document would
    have once every ``*alias`` is expanded, without expanding anything: a 240 KB file
    with one 100 KB scalar and 20,000 aliases of it would be 2 GB. An alias inside the
    node it names (a recursive document) is refused too.
    """
    most = yaml_expansion_limit(len(text), limits)
    anchors: dict[str, tuple[int, int]] = {}
    open_anchors: set[str] = set()
    # per open collection: its anchor, its nodes and characters so far
    stack: list[tuple[str | None, int, int]] = [(None, 0, 0)]
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        mark = event.start_mark
        line = mark.line + 1 if mark else None
        if isinstance(event, yaml.AliasEvent):
            anchor = event.anchor or ""
            if anchor in open_anchors:
                raise InputError.single(
                    name,
                    f"the YAML alias *{clip(anchor, 60)} stands inside the node it names: "
                    "the document would contain itself",
                    line=line,
                    hint="write the values out instead of using *aliases",
                )
            nodes, size = anchors.get(anchor, (1, 0))
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            if len(stack) > limits.max_nesting:
                raise _too_deep(name, limits, "YAML mappings and lists", line)
            if event.anchor:
                open_anchors.add(event.anchor)
            stack.append((event.anchor, 1, 2))
            continue
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            anchor_name, nodes, size = stack.pop()
            if anchor_name:
                anchors[anchor_name] = (nodes, size)
                open_anchors.discard(anchor_name)
        elif isinstance(event, yaml.ScalarEvent):
            nodes, size = 1, len(event.value) + 2
            if event.anchor:
                anchors[event.anchor] = (nodes, size)
        else:
            continue
        anchor_name, total_nodes, total_size = stack[-1]
        total_nodes, total_size = total_nodes + nodes, total_size + size
        stack[-1] = (anchor_name, total_nodes, total_size)
        if total_nodes > limits.max_yaml_nodes:
            raise InputError.single(
                name,
                f"expanding its YAML aliases would give more than {limits.max_yaml_nodes} "
                "nodes; refused as a possible alias bomb",
                line=line,
                hint="write the values out instead of using *aliases",
            )
        if total_size > most:
            raise InputError.single(
                name,
                f"expanding its YAML aliases would give more than {most} bytes, the limit "
                "for this file; refused as a possible alias bomb",
                line=line,
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
                f"the XML declares the external entity {quote(name, 80)}; cdkg never reads "
                "external entities",
                line=line,
                hint="remove the entity declaration",
            )
        if value is not None and ("&" in value or "%" in value):
            raise InputError.single(
                source.name,
                f"the XML entity {quote(name, 80)} is built from other entities; refused as a "
                "possible entity-expansion bomb",
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
        message = clip(str(getattr(exc, "msg", None) or exc))
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
            f"not valid {source.format}: {clip(str(getattr(exc, 'msg', None) or exc))}",
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
            raise InputError.single(source.name, clip(str(exc))) from None


#: Turtle and TriG tokens that may hold a bracket without opening anything (strings,
#: IRIs, comments, escapes), a run of text without brackets, and the brackets of blank
#: nodes and collections themselves.
_TURTLE_TOKEN = re.compile(
    rb'"""(?:[^"\\]++|\\.|"(?!""))*+"""'
    rb"|'''(?:[^'\\]++|\\.|'(?!''))*+'''"
    rb'|"(?:[^"\\\r\n]++|\\.)*+"'
    rb"|'(?:[^'\\\r\n]++|\\.)*+'"
    rb"|<[^>]*+>|\\.|#[^\r\n]*+|[^\"'<#\\\[\]()]++|[\[\]()]",
    re.DOTALL,
)


def _check_turtle_nesting(source: Source, limits: Limits) -> None:
    """Refuse Turtle or TriG whose blank nodes and collections nest deeper than
    ``limits.max_nesting`` (rdflib's parser recurses several times per level and stops
    with "maximum recursion depth exceeded" at about 120). Runs after Oxigraph has found
    the text well-formed, so strings and IRIs are where the tokens say."""
    data = source.data
    if data.count(b"[") + data.count(b"(") <= limits.max_nesting:
        return
    depth = 0
    for match in _TURTLE_TOKEN.finditer(data):
        token = match.group()
        if token in (b"[", b"("):
            depth += 1
            if depth > limits.max_nesting:
                at = match.start()
                line = data.count(b"\n", 0, at) + 1
                column = at - (data.rfind(b"\n", 0, at) + 1) + 1
                raise _too_deep(
                    source.name, limits, "blank nodes [ ] and collections ( )", line, column
                )
        elif token in (b"]", b")"):
            depth -= 1


def parse_into(
    graph: rdflib.Graph | rdflib.Dataset, source: Source, limits: Limits | None = None
) -> None:
    """Parse ``source`` into ``graph`` or raise :class:`InputError` naming file, line and column."""
    limits = limits or Limits.from_env()
    source = without_bom(source)
    if not source.data.strip():
        raise InputError.single(source.name, "the file is empty", hint="give a file with RDF data")
    public_id = source.path.resolve().as_uri() if source.path else "urn:cdkg:stdin"
    try:
        if source.format in ("json-ld", "yaml-ld"):
            doc = _resolve_contexts(_json_document(source, limits), source.name)
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
            _check_turtle_nesting(source, limits)
            graph.parse(data=source.data, format=source.format, publicID=public_id)
    except InputError:
        raise
    except UnicodeDecodeError as exc:
        raise InputError.single(source.name, f"not UTF-8 text ({exc.reason})") from None
    except RecursionError:
        # a safety net: the nesting checks above should have refused the text already
        raise _too_deep(source.name, limits, "its nodes") from None
    except Exception as exc:
        located = _locate_with_oxigraph(source)
        if located is not None:
            message, line, column = located
            raise InputError.single(
                source.name, f"not valid {source.format}: {message}", line=line, column=column
            ) from None
        line = getattr(exc, "lines", None) or getattr(exc, "lineno", None)
        first = clip(str(exc).splitlines()[0]) if str(exc).strip() else type(exc).__name__
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
        source = without_bom(source)
        ds = rdflib.Dataset()
        try:
            parse_into(ds if source.is_dataset_format else ds.default_graph, source, limits)
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
        f"{quote(iri, 80)} is not a valid IRI: it contains {char.group(0) if char else '?'!r}",
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
