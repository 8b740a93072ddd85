"""Content negotiation: ``Accept`` headers, file extensions and the ``_mediatype`` parameter.

A resource page is offered as HTML (for people) and as Turtle, JSON-LD and N-Triples (for
machines). A client picks one by (in this order of precedence) the ``_mediatype`` query
parameter (a media type or a short name such as ``ttl``), the extension of the requested
path (``.html``, ``.ttl``, ``.jsonld``, ``.nt``), or its ``Accept`` header (RFC 9110
§12.5.1: quality values, ``type/*`` and ``*/*``; ties go to the server's order).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

HTML = "text/html"
TURTLE = "text/turtle"
JSONLD = "application/ld+json"
NTRIPLES = "application/n-triples"


@dataclass(frozen=True)
class RdfFormat:
    """One representation of a resource: its extension, media type and rdflib format."""

    extension: str
    media_type: str
    rdflib_format: str
    #: Other media types and short names that ask for the same representation.
    aliases: tuple[str, ...] = ()


#: The representations of every resource, in the server's order of preference.
REPRESENTATIONS: tuple[RdfFormat, ...] = (
    RdfFormat("html", HTML, "html", ("application/xhtml+xml", "html", "htm")),
    RdfFormat("ttl", TURTLE, "turtle", ("application/x-turtle", "turtle", "ttl")),
    RdfFormat("jsonld", JSONLD, "json-ld", ("application/json", "json-ld", "jsonld", "json")),
    RdfFormat("nt", NTRIPLES, "nt", ("text/n-triples", "n-triples", "ntriples", "nt")),
)
BY_EXTENSION = {f.extension: f for f in REPRESENTATIONS}
_BY_NAME = {name: f for f in REPRESENTATIONS for name in (f.media_type, *f.aliases)}


def charset(media_type: str) -> str:
    """The ``Content-Type`` value (with ``charset`` for text types)."""
    if media_type.startswith("text/") or media_type.endswith(("+json", "/json")):
        return f"{media_type}; charset=utf-8"
    return media_type


@dataclass(frozen=True)
class Range:
    type: str
    subtype: str
    q: float
    order: int

    def matches(self, media_type: str) -> int:
        """How specifically this range matches (2 exact, 1 ``type/*``, 0 ``*/*``), or -1."""
        t, _, s = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 0
        if self.type == t and self.subtype == "*":
            return 1
        if self.type == t and self.subtype == s:
            return 2
        return -1


def parse_accept(header: str | None) -> list[Range]:
    """The media ranges of an ``Accept`` header; malformed parts are ignored."""
    if not header or not header.strip():
        return [Range("*", "*", 1.0, 0)]
    ranges: list[Range] = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            continue
        t, _, s = media.partition("/")
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append(Range(t.strip(), s.strip(), q, i))
    return ranges


def negotiate(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offered media type the client prefers, or None if it accepts none of them.

    Each offer gets the quality of the most specific range matching it; the highest
    quality wins, ties going to the earlier offer.
    """
    ranges = parse_accept(accept)
    best: tuple[float, int] | None = None
    chosen: str | None = None
    for index, offer in enumerate(offers):
        q_best, spec_best = -1.0, -1
        for r in ranges:
            spec = r.matches(offer)
            if spec > spec_best:
                q_best, spec_best = r.q, spec
        if spec_best < 0 or q_best <= 0:
            continue
        key = (q_best, -index)
        if best is None or key > best:
            best, chosen = key, offer
    return chosen


def by_name(name: str) -> RdfFormat | None:
    """The representation a ``_mediatype`` value or short name asks for."""
    return _BY_NAME.get(name.strip().lower().split(";")[0].strip())


def choose_representation(
    accept: str | None, extension: str | None = None, mediatype_param: str | None = None
) -> RdfFormat | None:
    """The representation to send: ``_mediatype`` first, then extension, then ``Accept``."""
    if mediatype_param:
        return by_name(mediatype_param)
    if extension:
        return BY_EXTENSION.get(extension.lower())
    # Plain-text JSON clients get JSON-LD; a generic JSON request is not HTML.
    offers = [f.media_type for f in REPRESENTATIONS] + ["application/json"]
    chosen = negotiate(accept, offers)
    if chosen is None:
        return None
    return _BY_NAME[chosen]


def split_extension(path: str) -> tuple[str, str | None]:
    """``"id/x.ttl"`` → ``("id/x", "ttl")``; a path without a known extension is unchanged."""
    stem, dot, ext = path.rpartition(".")
    if dot and "/" not in ext and ext.lower() in BY_EXTENSION:
        return stem, ext.lower()
    return path, None
