"""Query results as text: an aligned table, SPARQL 1.1 CSV/TSV, or SPARQL 1.1 Results JSON."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox

from cdkg.model.namespaces import PREFIXES, VOCAB_BASE
from cdkg.store import Binding, Results

FORMATS = ("table", "csv", "tsv", "json")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {_XSD + "integer", _XSD + "decimal", _XSD + "double"}
#: Longest namespace first, so ``level:4`` wins over a shorter match.
_SHORT = sorted(
    [*PREFIXES.items(), *(("vocab", VOCAB_BASE),)], key=lambda kv: len(kv[1]), reverse=True
)


def _short(iri: str) -> str:
    for prefix, ns in _SHORT:
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return f"<{iri}>"


def _plain(term: Binding | None) -> str:
    """CSV form: IRIs and literals as their text, blank nodes as ``_:id``."""
    if term is None:
        return ""
    return "_:" + term["value"] if term["type"] == "bnode" else term["value"]


def _rdf(term: Binding | None) -> str:
    """TSV form: the term in N-Triples syntax (numbers bare, as the TSV format allows)."""
    if term is None:
        return ""
    kind, value = term["type"], term["value"]
    if kind == "uri":
        return str(ox.NamedNode(value))
    if kind == "bnode":
        return "_:" + value
    if term.get("datatype") in _NUMERIC and value.lstrip("+-").replace(".", "", 1).isdigit():
        return value
    if "xml:lang" in term:
        return str(ox.Literal(value, language=term["xml:lang"]))
    datatype = term.get("datatype")
    return str(ox.Literal(value, datatype=ox.NamedNode(datatype) if datatype else None))


def _cell(term: Binding | None) -> str:
    """Table form: IRIs shortened with the usual prefixes, literals as their text."""
    if term is None:
        return ""
    if term["type"] == "uri":
        return _short(term["value"])
    if term["type"] == "bnode":
        return "_:" + term["value"]
    return term["value"].replace("\n", " ")


def render(results: Results, fmt: str) -> str:
    """``results`` in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "json":
        return json.dumps(results.to_json(), indent=2, ensure_ascii=False) + "\n"
    if results.boolean is not None:
        text = "true" if results.boolean else "false"
        return {"csv": f"boolean\r\n{text}\r\n", "tsv": f"?boolean\n{text}\n"}.get(fmt, text + "\n")
    variables = results.variables
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(variables)
        for row in results.rows:
            writer.writerow([_plain(row.get(v)) for v in variables])
        return buf.getvalue()
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join(_rdf(row.get(v)) for v in variables) for row in results.rows]
        return "\n".join(lines) + "\n"
    table = [[_cell(row.get(v)) for v in variables] for row in results.rows]
    widths = [max([len(v), *(len(r[i]) for r in table)]) for i, v in enumerate(variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(variables, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in table]
    lines.append(f"({len(table)} row{'s' if len(table) != 1 else ''})")
    return "\n".join(lines) + "\n"
