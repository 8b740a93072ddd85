"""cdkg — the Copenhagen Framework on Citizen Data as linked data.

The package version is defined once, in ``pyproject.toml``; everything else reads it
from the installed metadata.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cdkg")
except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
