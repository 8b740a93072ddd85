"""Where each resource lives on the site, and how pages link to each other.

A resource whose IRI is ``BASE + path`` is published at ``SITE/path.html``,
``path.ttl``, ``path.jsonld`` and ``path.nt`` (and served live at ``/path``). cdkg's
own terms live under ``https://w3id.org/cdkg/``: concepts at ``vocab/<scheme>/<code>``
and the ontology at ``ontology`` (its terms are fragments of that page), so a site can
also answer for them, whatever its own base.

Every ``href`` a page carries comes from here, and none can run script:

* a link to the site itself (:class:`Linker`) starts with ``./`` or ``../`` on a static
  site and with one ``/`` live, and its path is percent-encoded (a ``:`` is ``%3A``), so a
  resource at ``BASE + "javascript:alert(1)"`` is linked as
  ``./javascript%3Aalert(1).html`` (the file keeps its name; browsers and web servers
  decode the ``%3A`` to find it, and the live route receives the decoded path);
* any other IRI is a link only when :func:`external_href` accepts it: ``http``,
  ``https`` or ``mailto``, with nothing a browser would strip or rewrite. Every other
  value (``javascript:``, ``data:``, ``vbscript:``, ``file:``, a relative reference,
  anything that does not parse) is shown as text.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, urlsplit

CDKG_ROOT = "https://w3id.org/cdkg/"
ONTOLOGY_IRI = "https://w3id.org/cdkg/ontology"
SHAPES_IRI = "https://w3id.org/cdkg/shapes"

#: Site paths the publisher writes itself; a resource may not take them.
RESERVED = frozenset(
    {
        "index",
        "dashboard",
        "browse",
        "static",
        "dumps",
        "catalog",
        "void",
        "sitemap",
        "ontology",
        "shapes",
        "sparql",
        "validate",
        "check",
    }
)
_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9._~!$&'()*+,;=:@%-]+$")

#: The only schemes an IRI from the data may be linked with.
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
#: What no IRI holds and browsers strip or rewrite before reading a URL's scheme
#: (spaces, tabs and newlines, control characters, backslashes).
_NOT_IN_A_LINK = re.compile(r"[\x00-\x20\x7f-\x9f\s\\]")
#: Characters of a site path left as they are in an ``href``; every other one (``:``,
#: ``%``, ``?``, ``#``, spaces, non-ASCII) is percent-encoded.
_HREF_SAFE = "/!$&'()*+,;=@"


def external_href(iri: str) -> str | None:
    """``iri`` as the target of a link, or None when a page must show it as text.

    The one decision whether a value from the data may become an ``href``: an absolute
    ``http``/``https`` IRI with a host, or a ``mailto:`` IRI, written without anything a
    browser would strip or rewrite first (leading spaces, tabs, control characters,
    backslashes). Every other scheme (``javascript:``, ``data:``, ``vbscript:``,
    ``file:``…, in any case), a relative reference and anything that does not parse
    give None.
    """
    if not iri or _NOT_IN_A_LINK.search(iri):
        return None
    found = _SCHEME.match(iri)
    if found is None:
        return None
    scheme = found.group(1).lower()
    if scheme not in LINK_SCHEMES:
        return None
    rest = iri[found.end() :]
    if scheme == "mailto":
        return iri if rest else None
    if not rest.startswith("//"):
        return None
    try:
        parts = urlsplit(iri)
        host, _port = parts.hostname, parts.port  # a port that is no number: ValueError
    except ValueError:
        return None
    return iri if host else None


def site_href(path: str) -> str:
    """A site path (with its extension) as it is written in an ``href``: percent-encoded,
    so that no segment holds a ``:`` (which would read as a scheme) or a raw ``%``."""
    return quote(path, safe=_HREF_SAFE)


@lru_cache(maxsize=1 << 16)
def _locate(base: str, iri: str) -> tuple[str, str] | None:
    return Layout(base)._locate(iri)


def safe_path(path: str) -> bool:
    """A path that maps to a file inside the site: relative, no ``..``, no empty segments."""
    if not path or path.startswith("/") or len(path) > 400:
        return False
    segments = path.split("/")
    return all(s not in (".", "..") and _SAFE_SEGMENT.match(s) for s in segments)


#: Longest segment of a site path kept as it is. A file system takes names of at most
#: 255 bytes, and the site writes ``<segment>.jsonld``.
MAX_SEGMENT = 200
#: A longer segment is written as its first characters, ``~`` and 16 hex digits of its
#: SHA-256, 230 characters in all: longer than any segment kept as it is, so the two
#: kinds of name never meet.
SHORTENED_SEGMENT = 230


def file_safe_path(path: str) -> str:
    """``path`` with each segment longer than :data:`MAX_SEGMENT` characters shortened
    to a stable name a file system accepts (a 300-character IRI segment would make
    writing ``segment.html`` fail with "File name too long")."""
    if len(path) <= MAX_SEGMENT:
        return path
    import hashlib  # only for the rare resource with an overlong segment

    segments = path.split("/")
    for i, segment in enumerate(segments):
        if len(segment) > MAX_SEGMENT:
            digest = hashlib.sha256(segment.encode("utf-8")).hexdigest()[:16]
            segments[i] = f"{segment[: SHORTENED_SEGMENT - 17]}~{digest}"
    return "/".join(segments)


@dataclass(frozen=True)
class Layout:
    """The IRI ↔ site path mapping for one base IRI."""

    base: str

    def __post_init__(self) -> None:
        if not re.match(r"^https?://[^/]+(/.*)?$", self.base):
            raise ValueError(f"the base IRI must be an http(s) IRI: {self.base!r}")

    def locate(self, iri: str) -> tuple[str, str] | None:
        """``(path, fragment)`` of the page that describes ``iri``, or None if not ours."""
        return _locate(self.base, iri)

    def _locate(self, iri: str) -> tuple[str, str] | None:
        doc, _, fragment = iri.partition("#")
        if iri.startswith(ONTOLOGY_IRI + "#") or doc == ONTOLOGY_IRI:
            return "ontology", fragment
        if iri.startswith(SHAPES_IRI + "#") or doc == SHAPES_IRI:
            return "shapes", fragment
        for root in (self.base, CDKG_ROOT):
            if doc.startswith(root):
                path = doc[len(root) :]
                if root == CDKG_ROOT and not path.startswith("vocab/"):
                    continue
                if safe_path(path) and path.split("/")[0] not in RESERVED:
                    return file_safe_path(path), fragment
        return None

    def path_of(self, iri: str) -> str | None:
        """The site path of a resource (no fragment), or None if the site does not hold it."""
        found = self.locate(iri)
        return found[0] if found and not found[1] else None

    def iris_for(self, path: str) -> list[str]:
        """The IRIs a site path may stand for, most likely first."""
        if not safe_path(path):
            return []
        out = [self.base + path]
        if path.startswith("vocab/") and CDKG_ROOT + path not in out:
            out.append(CDKG_ROOT + path)
        return out


@lru_cache(maxsize=1 << 16)
def _relative(target: str, here: str) -> str:
    """``target`` relative to the folder ``here`` (both site paths) as an ``href``: it
    always starts with ``./`` or ``../``, never with a bare segment (which a ``:`` would
    turn into a scheme). Cached, as a static site links the same few targets from the
    same few folders many times."""
    href = site_href(posixpath.relpath(target, here or "."))
    return href if href.startswith("../") else "./" + href


@dataclass(frozen=True)
class Linker:
    """Writes ``href`` values: relative ``.html`` links for a static site (so it browses
    from disk; each starts with ``./`` or ``../``), absolute extension-less paths for the
    live server; both percent-encoded (:func:`site_href`)."""

    layout: Layout
    static: bool
    #: The site path of the page being written ("" for the home page).
    current: str = ""

    def at(self, current: str) -> Linker:
        return Linker(self.layout, self.static, current)

    def page(self, path: str, fragment: str = "", ext: str = "html") -> str:
        """Link to the page at site ``path`` (``""`` is the home page)."""
        if self.static:
            target = (path or "index") + (f".{ext}" if ext else "")
            href = _relative(target, posixpath.dirname(self.current))
        else:
            href = "/" + site_href(path.lstrip("/"))
            if ext and ext != "html":
                href += f".{ext}"
        return href + (f"#{fragment}" if fragment else "")

    def asset(self, path: str) -> str:
        """Link to a file written as-is (CSS, dumps)."""
        if self.static:
            return _relative(path, posixpath.dirname(self.current))
        return "/" + site_href(path.lstrip("/"))

    def resource(self, iri: str) -> str | None:
        """Link to an IRI: its page on this site, else the IRI itself if
        :func:`external_href` lets it be a link; None (show it as text) otherwise."""
        found = self.layout.locate(iri)
        if found is None:
            return external_href(iri)
        return self.page(found[0], found[1])
