"""``cdkg publish``: write a registry as a static linked-data site."""

from __future__ import annotations

import argparse
from typing import Any

from cdkg.commands._store_options import add_store_options, store_from_args
from cdkg.publish.site import publish
from cdkg.publish.source import ReadOnlyStore
from cdkg.store import Store, default_store_dir


def register(sub: Any) -> None:
    p = sub.add_parser(
        "publish",
        help="write a registry as a static linked-data site",
        description="Write every resource whose IRI starts with BASE as SITE/path.html, .ttl, "
        ".jsonld and .nt (with the classification the registry holds, and its reasons), "
        "index and facet pages, a dashboard, dumps, a DCAT catalogue, VoID, a sitemap, and "
        "the ontology and shapes stamped with this release. Personal contact data are "
        "withheld. The registry is only read. The site browses from disk; "
        "docs/publishing.md shows the web-server configuration for content negotiation.",
    )
    p.add_argument("--out", metavar="SITE", required=True, help="folder to write (replaced)")
    p.add_argument(
        "--base-iri",
        metavar="BASE",
        required=True,
        help="IRI prefix of the published resources, e.g. https://data.example.org/",
    )
    p.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="processes writing pages (default: 2 for a large registry, else 1)",
    )
    p.add_argument(
        "--no-progress", action="store_true", help="no progress bar (default: on a terminal)"
    )
    add_store_options(p)
    p.set_defaults(func=run)


def _source(args: argparse.Namespace) -> Store:
    if args.endpoint:
        return store_from_args(args)
    return ReadOnlyStore(args.store or default_store_dir())


def run(args: argparse.Namespace) -> int:
    with _source(args) as store:
        report = publish(
            store,
            args.out,
            args.base_iri,
            progress=False if args.no_progress else None,
            workers=args.workers,
        )
    redaction = report.redaction
    if redaction.removed:
        print(
            f"withheld {redaction.removed} personal contact triples of "
            f"{len(redaction.people)} people (no recorded consent to publication)"
        )
    steps = ", ".join(f"{k} {v:.1f} s" for k, v in report.timings.items())
    print(
        f"published {report.resources} resources ({report.initiatives} initiatives) "
        f"as {report.files} files in {report.out} ({report.seconds:.1f} s: {steps})"
    )
    return 0
