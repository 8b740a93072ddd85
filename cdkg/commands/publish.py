"""``cdkg publish``: write a registry as a static linked-data site."""

from __future__ import annotations

import argparse
from typing import Any

from cdkg.commands._store_options import add_store_options, store_from_args
from cdkg.publish.site import publish


def register(sub: Any) -> None:
    p = sub.add_parser(
        "publish",
        help="write a registry as a static linked-data site",
        description="Write every resource whose IRI starts with BASE as SITE/path.html, .ttl, "
        ".jsonld and .nt (with the inferred classification), index and facet pages, a "
        "dashboard, dumps, a DCAT catalogue, VoID, a sitemap, and the ontology and shapes "
        "stamped with this release. The site browses from disk; docs/publishing.md shows "
        "the web-server configuration for content negotiation.",
    )
    p.add_argument("--out", metavar="SITE", required=True, help="folder to write (replaced)")
    p.add_argument(
        "--base-iri",
        metavar="BASE",
        required=True,
        help="IRI prefix of the published resources, e.g. https://data.example.org/",
    )
    add_store_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from cdkg.privacy import redacted_copy

    # Personal contact data never reach the site (cdkg.privacy; docs/security.md).
    with store_from_args(args) as store, redacted_copy(store) as (public, redaction):
        report = publish(public, args.out, args.base_iri)
    if redaction.removed:
        print(
            f"withheld {redaction.removed} personal contact triples of "
            f"{len(redaction.people)} people (no recorded consent to publication)"
        )
    print(
        f"published {report.resources} resources ({report.initiatives} initiatives) "
        f"as {report.files} files in {report.out} ({report.seconds:.1f} s)"
    )
    return 0
