"""The command line skeleton: help, version, exit codes, one-line user errors."""

from __future__ import annotations

import subprocess
import sys

from cdkg import __version__


def test_version(cli):
    result = cli("--version")
    assert result.code == 0
    assert result.out.strip() == f"cdkg {__version__}"


def test_help_lists_commands(cli):
    result = cli("--help")
    assert result.code == 0
    assert "demo" in result.out
    assert "Exit codes" in result.out


def test_no_command_is_usage_error(cli):
    result = cli()
    assert result.code == 2


def test_unknown_option_is_usage_error(cli):
    result = cli("--no-such-option")
    assert result.code == 2
    assert "cdkg: error:" in result.err


def test_missing_examples_folder_is_one_line(cli, tmp_path):
    missing = tmp_path / "nope"
    result = cli("demo", "--examples", str(missing))
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert str(missing) in result.err
    assert "Traceback" not in result.err


def test_console_script_runs_as_module():
    proc = subprocess.run(
        [sys.executable, "-m", "cdkg", "--version"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0
    assert proc.stdout.startswith("cdkg ")
