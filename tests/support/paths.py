"""Where the suite finds the repository, its examples and test data, and ../shared."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
TEST_DATA = REPO / "tests" / "data"
SHARED = REPO.parent / "shared"
