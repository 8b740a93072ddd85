"""Shared fixtures: paths to the repository, to ../shared, and a CLI runner."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from cdkg.cli import main
from tests.support.paths import SHARED


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``shared`` read ../shared/; skip them, saying why, where it is absent."""
    if SHARED.is_dir():
        return
    skip = pytest.mark.skip(reason=f"{SHARED} is absent (it sits beside the clone in CI)")
    for item in items:
        if "shared" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _own_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The suite's own, empty cache folder: nothing is read from or written to the
    user's (and what is cached is worked out at least once in the run)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CDKG_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return SHARED


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., CliResult]:
    """Run ``cdkg`` in-process; ``stdin`` text may be given."""

    def run(*argv: str, stdin: str | None = None) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        if stdin is not None:
            fake = io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8")
            monkeypatch.setattr(sys, "stdin", fake)
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(list(argv))
            except SystemExit as exc:  # argparse --help / --version / usage errors
                code = int(exc.code or 0)
        return CliResult(code, out.getvalue(), err.getvalue())

    return run


@pytest.fixture
def oxigraph_server(tmp_path: Path):
    """A real Oxigraph server on a free 127.0.0.1 port, stopped after the test."""
    from tests.support.servers import OxigraphServer

    server = OxigraphServer(tmp_path / "oxigraph-server").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def oxigraph_servers(tmp_path: Path):
    """Two independent Oxigraph servers (two registries)."""
    from tests.support.servers import OxigraphServer

    servers = [OxigraphServer(tmp_path / f"oxigraph-{n}").start() for n in ("a", "b")]
    try:
        yield servers
    finally:
        for server in servers:
            server.stop()
