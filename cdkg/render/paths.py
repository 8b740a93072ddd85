"""Where each resource lives on the site, and how pages link to each other.

A resource whose IRI is ``BASE + path`` is published at ``SITE/path.html``,
``path.ttl``, ``path.jsonld`` and ``path.nt`` (and served live at ``/path``). cdkg's
own terms live under ``https://w3id.org/cdkg/``: concepts at ``vocab/<scheme>/<code>``
and the ontology at ``ontology`` (its terms are fragments of that page), so a site can
also answer for them, whatever its own base.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache

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


@lru_cache(maxsize=1 << 16)
def _locate(base: str, iri: str) -> tuple[str, str] | None:
    return Layout(base)._locate(iri)


def safe_path(path: str) -> bool:
    """A path that maps to a file inside the site: relative, no ``..``, no empty segments."""
    if not path or path.startswith("/") or len(path) > 400:
        return False
    segments = path.split("/")
    return all(s not in (".", "..") and _SAFE_SEGMENT.match(s) for s in segments)


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
                    return path, fragment
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
    """``target`` relative to the folder ``here`` (both site paths); cached, as a static
    site links the same few targets from the same few folders many times."""
    return posixpath.relpath(target, here or ".")


@dataclass(frozen=True)
class Linker:
    """Writes ``href`` values: relative ``.html`` links for a static site (so it browses
    from disk), absolute extension-less paths for the live server."""

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
            href = "/" + path
            if ext and ext != "html":
                href += f".{ext}"
        return href + (f"#{fragment}" if fragment else "")

    def asset(self, path: str) -> str:
        """Link to a file written as-is (CSS, dumps)."""
        if self.static:
            return _relative(path, posixpath.dirname(self.current))
        return "/" + path

    def resource(self, iri: str) -> str:
        """Link to an IRI: its page on this site, or the IRI itself."""
        found = self.layout.locate(iri)
        if found is None:
            return iri
        return self.page(found[0], found[1])
