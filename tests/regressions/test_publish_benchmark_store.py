"""``cdkg publish`` over a benchmark store (issue 8): the scale runs recorded exit 2.

The runs were made from a tree whose ``cdkg`` had no ``publish`` command yet (argparse:
"invalid choice: 'publish'"), so the step could not work there; this checks the step
exactly as ``benchmarks/run.py`` runs it, over a store built as it builds one
(``benchmarks.steps load`` + ``fast``), and that the pages carry each initiative's
verdict with the reasons ``cdkg classify`` gives.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import REPO

BASE = "https://registry.example.org/"


@pytest.mark.slow
def test_benchmark_publish_step_succeeds_with_classify_reasons(tmp_path: Path) -> None:
    def run(*cmd: str, ok: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, *cmd], cwd=REPO, capture_output=True, text=True, timeout=600
        )
        assert done.returncode in ok, (cmd, done.stderr)
        return done

    data, store, site = tmp_path / "data", tmp_path / "store", tmp_path / "site"
    run("-m", "cdkg", "bench", "generate", "--initiatives", "60", "--seed", "3", "--out", str(data))
    run("-m", "benchmarks.steps", "load", str(data), str(store))
    run("-m", "benchmarks.steps", "fast", str(store), str(tmp_path / "verdicts.json"))
    done = run("-m", "cdkg", "publish", "--store", str(store), "--out", str(site),
               "--base-iri", BASE)  # fmt: skip
    assert "published" in done.stdout and "(60 initiatives)" in done.stdout
    # exit 1: a few generated descriptions have structural errors, on purpose
    classified = run(
        "-m", "cdkg", "classify", str(data), "--engine", "fast", "--format", "json", ok=(0, 1)
    )  # fmt: skip
    initiatives = json.loads(classified.stdout)["initiatives"]
    assert len(initiatives) == 60
    for item in initiatives:
        page = (site / f"{item['iri'][len(BASE) :]}.html").read_text(encoding="utf-8")
        listed = re.search(r'<ol class="reasons">(.*?)</ol>', page, re.S)
        assert listed, item["iri"]
        shown = [html.unescape(r) for r in re.findall(r"<li>(.*?)</li>", listed.group(1))]
        assert shown == item["reasons"], item["iri"]
        if item["typeNumber"] is None:  # to be assessed, no type yet (Contract 3, rows 7, 9)
            assert "no type yet" in page and "type None" not in page
        else:
            assert f"(type {item['typeNumber']} of 6)" in page
