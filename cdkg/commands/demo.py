"""``cdkg demo``: the README's first command — run the main job over ``examples/``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cdkg.classify.verdicts import VERDICTS
from cdkg.demo import run_demo, summary_table


def register(sub: Any) -> None:
    p = sub.add_parser(
        "demo",
        help="run the whole pipeline over the examples and print a summary",
        description="Load the examples into an embedded store, validate and classify "
        "them, publish them as a static linked-data site, and print a summary table.",
    )
    p.add_argument("--examples", default="examples", help="folder of example descriptions")
    p.add_argument("--out", default="build/demo", help="where the store and site are written")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    result = run_demo(Path(args.examples), out)
    print()
    print(summary_table(result))
    items = result.classification.initiatives
    verdicts = {v: sum(1 for i in items if i.verdict == v) for v in VERDICTS.values()}
    print(
        f"\n{len(items)} initiatives: {verdicts['citizen-data']} citizen data, "
        f"{verdicts['not-citizen-data']} not citizen data, "
        f"{verdicts['to-be-assessed']} to be assessed; "
        f"{result.violations} structural violations. "
        + ", ".join(f"{k} {v:.1f} s" for k, v in result.timings.items())
    )
    store = result.store_dir
    site = result.site.out
    print(
        f"\nPublished {result.site.resources} resources ({result.site.files} files) to {site}/."
        "\n\nWhere to look next:\n"
        f"  {site}/index.html\n      the site: open it in a browser, straight from disk\n"
        f"  .venv/bin/cdkg serve --store {store}\n"
        "      the same pages live at http://127.0.0.1:8000/, with /sparql and /check\n"
        f"  .venv/bin/cdkg classify {args.examples}/harassmap.yaml\n"
        "      one verdict with its reasons\n"
        f"  .venv/bin/cdkg query citizen-data-by-sdg --param sdg=5 --store {store}\n"
        "      the query library (see queries/), across registries too\n"
        "  docs/ontology/index.html\n      the ontology and vocabularies"
    )
    return 0
