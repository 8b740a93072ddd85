"""The house as docs/architecture.md draws it is the house in the code."""

from __future__ import annotations

import subprocess
import sys
import tomllib

from tests.support.paths import REPO

PACKAGE = REPO / "cdkg"


def _layers() -> list[str]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    return [m.strip() for row in contract["layers"] for m in row.split("|")]


def _top_level() -> set[str]:
    """Every module and package directly under cdkg/ (the root's face aside)."""
    found = {f"cdkg.{p.stem}" for p in PACKAGE.glob("*.py") if p.name != "__init__.py"}
    found |= {f"cdkg.{p.name}" for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    return found


def test_every_package_stands_on_a_layer() -> None:
    """A package outside the layers contract would escape the check of its imports."""
    layered = _layers()
    assert len(layered) == len(set(layered)), "a package is on two layers"
    assert _top_level() == set(layered)


def test_every_package_has_its_paragraph() -> None:
    """docs/architecture.md says, for each package, what lives there."""
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    for module in _layers():
        name = module.removeprefix("cdkg.")
        if name == "__main__":
            continue
        assert f"**`{name}" in text, f"docs/architecture.md has no paragraph on {module}"


def test_the_picture_is_current() -> None:
    """docs/architecture.svg is drawn from the code; a new package or module redraws it."""
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "architecture.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_import_contracts_hold() -> None:
    """The layers and the no-cycle rule, as `make lint` checks them."""
    linter = REPO / ".venv" / "bin" / "lint-imports"
    command = [str(linter)] if linter.exists() else ["lint-imports"]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-3000:]
