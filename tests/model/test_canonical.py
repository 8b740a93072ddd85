"""Committed Turtle is in the one canonical form (CONVENTIONS 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cdkg.model.canonical import FIX_COMMAND, canonical_text, main, non_canonical, turtle_files
from tests.support.paths import REPO

DATA_DIRS = [REPO / "ontology", REPO / "shapes"]


def test_committed_turtle_is_canonical() -> None:
    files = turtle_files(DATA_DIRS)
    assert any(f.name == "cdkg.ttl" for f in files), "the walk found no ontology files"
    bad = non_canonical(DATA_DIRS)
    assert not bad, (
        "not in canonical Turtle form: "
        + ", ".join(str(p.relative_to(REPO)) for p in bad)
        + f" — run: {FIX_COMMAND}"
    )


def test_check_reports_and_fix_repairs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    messy = tmp_path / "messy.ttl"
    messy.write_text(
        "@prefix ex: <https://example.org/> .\nex:b ex:p 1 . ex:a ex:p [ ex:q 2 ] .\n",
        encoding="utf-8",
    )
    assert main([str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "messy.ttl" in out and FIX_COMMAND in out
    assert main(["--fix", str(tmp_path)]) == 0
    assert main([str(tmp_path)]) == 0
    text = messy.read_text(encoding="utf-8")
    assert text == canonical_text(messy)
    assert text.index("ex:a") < text.index("ex:b")


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    assert main([str(tmp_path / "nope")]) == 2
