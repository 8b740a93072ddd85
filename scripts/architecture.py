"""Draw ``docs/architecture.svg``: cdkg's packages on their layers, from the code itself.

The layers are read from the import contract in ``pyproject.toml`` (the same list
``lint-imports`` checks), each package's role from the first line of its docstring, and
its modules from the tree, so the picture cannot drift from the code unnoticed:
``tests/test_architecture.py`` fails when the committed picture differs from a fresh one.

    python scripts/architecture.py          # rewrite docs/architecture.svg
    python scripts/architecture.py --check  # exit 1 if it is out of date
"""

from __future__ import annotations

import argparse
import ast
import sys
import tomllib
from html import escape
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET = REPO / "docs" / "architecture.svg"

WIDTH = 960
MARGIN = 20
GAP = 14  # between boxes of one layer
ROW_GAP = 26  # between layers (the arrows run there)
LINE = 15  # text line height
CHAR = 6.6  # average width of one character of the module text (12 px sans-serif)

#: Fill colour per stage of the pipeline: ways in warm, the core blue, ways out green.
COLOURS = {
    "cdkg.cli": "#eeeeee",
    "cdkg.__main__": "#eeeeee",
    "cdkg.commands": "#eeeeee",
    "cdkg.demo": "#eeeeee",
    "cdkg.serve": "#dcefdc",
    "cdkg.publish": "#dcefdc",
    "cdkg.render": "#e8f5e0",
    "cdkg.load": "#fdebd3",
    "cdkg.query": "#e6eefb",
    "cdkg.sources": "#fdebd3",
    "cdkg.classify": "#dbe7f8",
    "cdkg.validate": "#dbe7f8",
    "cdkg.store": "#e6eefb",
    "cdkg.rdf": "#f0f0f7",
    "cdkg.model": "#f7e3e6",
    "cdkg.errors": "#f3f3f3",
}


def layers() -> list[list[str]]:
    """The layers of the import contract, top first; siblings of one layer in a list."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    for contract in config["tool"]["importlinter"]["contracts"]:
        if contract["type"] == "layers":
            return [[m.strip() for m in row.split("|")] for row in contract["layers"]]
    raise SystemExit("pyproject.toml has no layers contract")


def _path(module: str) -> Path:
    base = REPO.joinpath(*module.split("."))
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


def role(module: str) -> str:
    """The first paragraph of the module's (or package's) docstring."""
    doc = ast.get_docstring(ast.parse(_path(module).read_text(encoding="utf-8"))) or ""
    return " ".join(doc.split("\n\n")[0].split()).rstrip(".").replace("``", "")


def modules(module: str) -> list[str]:
    """The modules and sub-packages of a package (none for a plain module)."""
    base = REPO.joinpath(*module.split("."))
    if not base.is_dir():
        return []
    names = [
        p.stem for p in base.glob("*.py") if p.name != "__init__.py" and not p.name.startswith("_")
    ]
    names += [f"{p.name}/" for p in base.iterdir() if (p / "__init__.py").is_file()]
    return sorted(names)


def _wrap(words: list[str], width: float, sep: str) -> list[str]:
    """``words`` joined by ``sep`` into lines no wider than ``width`` pixels."""
    lines: list[str] = []
    line = ""
    for word in words:
        candidate = f"{line}{sep}{word}" if line else word
        if line and len(candidate) * CHAR > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def draw() -> str:
    """The SVG text."""
    rows = layers()
    parts: list[str] = []
    y = 54
    inner = WIDTH - 2 * MARGIN - 40  # room on the left for the arrow
    left = MARGIN + 40
    for row in rows:
        box_w = (inner - GAP * (len(row) - 1)) / len(row)
        boxes = []
        for module in row:
            text_w = box_w - 16
            head = module.removeprefix("cdkg.") if module != "cdkg" else module
            body = _wrap(role(module).split(), text_w, " ")
            mods = _wrap(modules(module), text_w, " · ")
            boxes.append((module, head, body, mods))
        height = max(22 + LINE * (len(b) + len(m)) + 10 for _, _, b, m in boxes)
        for i, (module, head, body, mods) in enumerate(boxes):
            x = left + i * (box_w + GAP)
            fill = COLOURS.get(module, "#ffffff")
            parts.append(
                f"<g><title>{escape(module)}</title>"
                f'<rect x="{x:.1f}" y="{y}" width="{box_w:.1f}" height="{height}" rx="6" '
                f'fill="{fill}" stroke="#55606e" stroke-width="1.2"/>'
            )
            ty = y + 18
            parts.append(
                f'<text x="{x + 8:.1f}" y="{ty}" font-weight="bold" font-size="14">'
                f"{escape(head)}</text>"
            )
            for line in body:
                ty += LINE
                parts.append(f'<text x="{x + 8:.1f}" y="{ty}">{escape(line)}</text>')
            for line in mods:
                ty += LINE
                parts.append(
                    f'<text x="{x + 8:.1f}" y="{ty}" fill="#37474f" '
                    f'font-family="monospace" font-size="11">{escape(line)}</text>'
                )
            parts.append("</g>")
        y += height + ROW_GAP
    bottom = y - ROW_GAP
    arrow_x = MARGIN + 14
    parts.insert(
        0,
        f'<line x1="{arrow_x}" y1="60" x2="{arrow_x}" y2="{bottom - 8}" stroke="#55606e" '
        f'stroke-width="2" marker-end="url(#down)"/>'
        f'<text x="{arrow_x - 6}" y="{(60 + bottom) / 2:.0f}" font-size="12" '
        f'transform="rotate(-90 {arrow_x - 6} {(60 + bottom) / 2:.0f})" '
        f'text-anchor="middle">imports point down</text>',
    )
    height = bottom + MARGIN
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0f}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" font-family="sans-serif" font-size="12" '
        f'role="img" aria-labelledby="t">'
        f'<title id="t">cdkg packages on their layers; each imports only from those below it'
        f"</title>"
        f'<defs><marker id="down" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        f'fill="#55606e"/></marker></defs>'
        f'<rect width="100%" height="100%" fill="#ffffff"/>'
        f'<text x="{MARGIN}" y="30" font-size="17" font-weight="bold">cdkg: the pipeline '
        f"in packages</text>"
        f'<text x="{WIDTH - MARGIN}" y="30" text-anchor="end" fill="#55606e">'
        f"side by side on one layer: independent of each other</text>"
    )
    return head + "\n".join(parts) + "\n</svg>\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    args = parser.parse_args(argv)
    svg = draw()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != svg:
            print(f"{TARGET} is out of date: run python scripts/architecture.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(svg, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
