"""The shipped SKOS schemes, and a local cache of the UN's SDG wording.

* :func:`schemes` and :func:`concepts` list what ``ontology/vocab/`` holds (``cdkg vocab list``).
* :func:`fetch_sdg` downloads the official SDG KOS and keeps, in a user cache folder, the
  UN's wording of every goal, target and indicator that the shipped code list knows
  (``cdkg vocab fetch sdg [--from URL]``). The project ships codes only; the wording is
  the UN's and stays on the user's machine. :func:`sdg_wording` reads it back.
"""

from __future__ import annotations

import os
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import rdflib
from rdflib.namespace import DCTERMS, RDF, SKOS

from cdkg.errors import InputError
from cdkg.model.ontology import ontology_graph
from cdkg.model.sdg import SDG_BASE, code_list, sdg_iri

VOCAB_BASE = "https://w3id.org/cdkg/vocab/"
#: Where the UN publishes the SDG KOS (content negotiation gives Turtle).
DEFAULT_SDG_URL = "http://metadata.un.org/sdg/"
SDG_CACHE_FILE = "sdg-wording.ttl"
MAX_DOWNLOAD_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Concept:
    iri: str
    notation: str
    label: str
    broader: tuple[str, ...]


@dataclass(frozen=True)
class Scheme:
    iri: str
    name: str
    label: str
    size: int


def _label(graph: rdflib.Graph, node: rdflib.term.Node, lang: str) -> str:
    labels = {
        lit.language: str(lit)
        for lit in graph.objects(node, SKOS.prefLabel)
        if isinstance(lit, rdflib.Literal)
    }
    return labels.get(lang) or labels.get("en") or str(node)


def schemes(lang: str = "en") -> list[Scheme]:
    """Every concept scheme the ontology ships, cdkg's own first, then SDG and GSBPM."""
    g = ontology_graph()
    found = []
    for node in set(g.subjects(RDF.type, SKOS.ConceptScheme)):
        iri = str(node)
        name = iri[len(VOCAB_BASE) :] if iri.startswith(VOCAB_BASE) else iri
        if iri.startswith("http://metadata.un.org/sdg"):
            name = "sdg"
        elif iri.startswith("http://id.unece.org/activities/gsbpm"):
            name = "gsbpm"
        size = sum(1 for _ in g.subjects(SKOS.inScheme, node))
        found.append(Scheme(iri, name, _label(g, node, lang), size))
    return sorted(found, key=lambda s: (not s.iri.startswith(VOCAB_BASE), s.name))


def scheme_named(name: str) -> Scheme:
    """The scheme called ``name`` (e.g. ``stage``, ``sdg``), or :class:`InputError`."""
    for scheme in schemes():
        if name in (scheme.name, scheme.iri):
            return scheme
    known = ", ".join(s.name for s in schemes())
    raise InputError.single("vocab", f"no scheme named {name!r}", hint=f"known: {known}")


def concepts(name: str, lang: str = "en") -> list[Concept]:
    """The concepts of scheme ``name``, in notation order."""
    scheme = scheme_named(name)
    g = ontology_graph()
    node = rdflib.URIRef(scheme.iri)
    out = []
    for concept in set(g.subjects(SKOS.inScheme, node)):
        notations = sorted(str(n) for n in g.objects(concept, SKOS.notation))
        notation = notations[0] if notations else ""
        if scheme.name == "sdg":
            notation = code_list().concepts[str(concept)].code
        broader = tuple(sorted(str(b) for b in g.objects(concept, SKOS.broader)))
        out.append(Concept(str(concept), notation, _label(g, concept, lang), broader))
    return sorted(out, key=lambda c: (_order(c.notation), c.iri))


def _order(notation: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (10_000, p) for p in notation.split("."))


# --------------------------------------------------------------------------- SDG wording


def default_cache_dir() -> Path:
    """``$CDKG_CACHE_DIR``, else ``$XDG_CACHE_HOME/cdkg``, else ``~/.cache/cdkg``."""
    if os.environ.get("CDKG_CACHE_DIR"):
        return Path(os.environ["CDKG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cdkg"


@dataclass(frozen=True)
class FetchResult:
    path: Path
    concepts: int
    labels: int
    missing: tuple[str, ...]


def _download(url: str) -> tuple[bytes, str]:
    if "://" not in url:
        path = Path(url)
        if not path.is_file():
            raise InputError.single(url, "no such file", hint="give a URL or an existing file")
        return path.read_bytes(), "text/turtle"
    if not url.startswith(("http://", "https://", "file://")):
        raise InputError.single(
            url, "unsupported URL scheme", hint="use http://, https:// or a file"
        )
    request = urllib.request.Request(
        url, headers={"Accept": "text/turtle, application/rdf+xml;q=0.5", "User-Agent": "cdkg"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            data = response.read(MAX_DOWNLOAD_BYTES + 1)
            ctype = response.headers.get_content_type() if response.headers else "text/turtle"
    except urllib.error.HTTPError as exc:
        raise InputError.single(url, f"download failed: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise InputError.single(
            url, f"download failed: {reason}", hint="check the address or pass --from FILE"
        ) from None
    if len(data) > MAX_DOWNLOAD_BYTES:
        raise InputError.single(url, f"larger than {MAX_DOWNLOAD_BYTES} bytes; refused")
    return data, ctype


def _parse_kos(data: bytes, ctype: str, url: str) -> rdflib.Graph:
    formats = ["xml", "turtle"] if "xml" in ctype else ["turtle", "xml"]
    for fmt in formats:
        try:
            return rdflib.Graph().parse(data=data, format=fmt)
        except Exception:
            continue
    raise InputError.single(url, "not Turtle or RDF/XML", hint="point --from at the SDG KOS file")


def fetch_sdg(url: str = DEFAULT_SDG_URL, cache_dir: Path | None = None) -> FetchResult:
    """Download the SDG KOS from ``url`` and cache the UN wording of known concepts.

    The cache file is replaced atomically, so a failed download leaves the previous
    one in place.
    """
    data, ctype = _download(url)
    official = _parse_kos(data, ctype, url)
    known = code_list().concepts
    out = rdflib.Graph()
    out.bind("sdg", SDG_BASE)
    found: set[str] = set()
    labels = 0
    for iri in known:
        node = rdflib.URIRef(iri)
        for lit in official.objects(node, SKOS.prefLabel):
            if isinstance(lit, rdflib.Literal) and lit.language:
                text = rdflib.Literal(str(lit).strip(), lang=lit.language)
                out.add((node, DCTERMS.description, text))
                labels += 1
                found.add(iri)
    if not found:
        raise InputError.single(
            url,
            "holds no labels of SDG goals, targets or indicators",
            hint="point --from at the SDG KOS (goals, targets and indicators) in Turtle",
        )
    target = cache_dir or default_cache_dir()
    target.mkdir(parents=True, exist_ok=True)
    final = target / SDG_CACHE_FILE
    origin = rdflib.URIRef(url) if "://" in url else rdflib.Literal(url)
    out.add((rdflib.URIRef(SDG_BASE[:-1]), DCTERMS.source, origin))
    with tempfile.NamedTemporaryFile("wb", dir=target, delete=False, suffix=".tmp") as tmp:
        tmp.write(out.serialize(format="turtle", encoding="utf-8"))
    os.replace(tmp.name, final)
    missing = tuple(sorted(set(known) - found))
    return FetchResult(final, len(found), labels, missing)


def sdg_wording(code: str, lang: str = "en", cache_dir: Path | None = None) -> str | None:
    """The UN's wording of an SDG goal, target or indicator, if ``fetch_sdg`` cached it."""
    path = (cache_dir or default_cache_dir()) / SDG_CACHE_FILE
    if not path.is_file():
        return None
    graph = rdflib.Graph().parse(path, format="turtle")
    texts = {
        lit.language: str(lit)
        for lit in graph.objects(rdflib.URIRef(sdg_iri(code)), DCTERMS.description)
        if isinstance(lit, rdflib.Literal)
    }
    return texts.get(lang)
