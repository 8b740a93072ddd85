"""Registries an analyst queries: embedded stores, SPARQL endpoints, or named ones from a file.

The registries file is TOML (default ``$CDKG_REGISTRIES``, else
``$XDG_CONFIG_HOME/cdkg/registries.toml``, else ``~/.config/cdkg/registries.toml``)::

    [registries.kenya]
    endpoint = "https://registry.example.ke/sparql"        # SPARQL 1.1 query URL
    update_endpoint = "https://registry.example.ke/update"  # optional, for cdkg load
    auth_header_env = "KENYA_REGISTRY_AUTH"   # optional: env variable holding "Name: value"
    timeout = 30                               # optional, seconds

    [registries.local]
    store = "~/.local/share/cdkg/store"        # an embedded store directory

Secrets never sit in the file: ``auth_header_env`` names an environment variable whose
value is the header (``Authorization: Bearer …``); ``auth_header`` may be given for
non-secret headers.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cdkg.errors import InputError, Problem
from cdkg.store import EmbeddedStore, EndpointStore, Store

ENV_REGISTRIES = "CDKG_REGISTRIES"
_KEYS = {"store", "endpoint", "update_endpoint", "auth_header", "auth_header_env", "timeout"}


@dataclass(frozen=True)
class Registry:
    """How to reach one registry; :meth:`open` connects to it."""

    name: str
    store: Path | None = None
    endpoint: str | None = None
    update_endpoint: str | None = None
    header: str | None = None
    timeout: float | None = None

    def open(self, *, create: bool = False) -> Store:
        if self.endpoint:
            return EndpointStore(
                self.endpoint,
                self.update_endpoint,
                header=self.header,
                timeout=self.timeout,
                name=self.name,
            )
        assert self.store is not None
        store = EmbeddedStore(self.store, create=create)
        store.name = self.name
        return store


def default_config_path() -> Path:
    explicit = os.environ.get(ENV_REGISTRIES)
    if explicit:
        return Path(explicit).expanduser()
    config_home = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config_home).expanduser() / "cdkg" / "registries.toml"


def _entry(name: str, raw: Any, where: str) -> Registry:
    if not isinstance(raw, dict):
        raise InputError.single(where, f"registry {name!r} must be a table of settings")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise InputError.single(
            where,
            f"registry {name!r} has unknown setting(s) {', '.join(unknown)}",
            hint="known: " + ", ".join(sorted(_KEYS)),
        )
    if bool(raw.get("store")) == bool(raw.get("endpoint")):
        raise InputError.single(
            where, f"registry {name!r} needs exactly one of 'store' or 'endpoint'"
        )
    header = raw.get("auth_header")
    env = raw.get("auth_header_env")
    if env:
        header = os.environ.get(str(env))
        if header is None:
            raise InputError.single(
                where,
                f"registry {name!r}: the environment variable {env} is not set",
                hint=f"export {env}='Authorization: Bearer …'",
            )
    timeout = raw.get("timeout")
    if timeout is not None and (not isinstance(timeout, int | float) or timeout <= 0):
        raise InputError.single(where, f"registry {name!r}: timeout must be a positive number")
    store = raw.get("store")
    return Registry(
        name=name,
        store=(Path(str(store)).expanduser() if store else None),
        endpoint=str(raw["endpoint"]) if raw.get("endpoint") else None,
        update_endpoint=str(raw["update_endpoint"]) if raw.get("update_endpoint") else None,
        header=str(header) if header else None,
        timeout=float(timeout) if timeout is not None else None,
    )


def read_config(path: Path) -> dict[str, Registry]:
    """The registries named in the TOML file at ``path``, in file order."""
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError.single(
            str(path), "no registries file here", hint="see docs/registry.md for its format"
        ) from None
    except OSError as exc:
        raise InputError.single(str(path), f"cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError.single(str(path), f"not valid TOML: {exc}") from None
    table = doc.get("registries")
    if not isinstance(table, dict) or not table:
        raise InputError.single(
            str(path), "no [registries.NAME] tables", hint="see docs/registry.md for its format"
        )
    return {name: _entry(name, raw, str(path)) for name, raw in table.items()}


def select(config: dict[str, Registry], names: list[str], where: str) -> list[Registry]:
    """The registries called ``names`` (all of them when ``names`` is empty)."""
    if not names:
        return list(config.values())
    missing = [n for n in names if n not in config]
    if missing:
        raise InputError(
            [
                Problem(where, f"no registry named {n!r}", hint="known: " + ", ".join(config))
                for n in missing
            ]
        )
    return [config[n] for n in dict.fromkeys(names)]
