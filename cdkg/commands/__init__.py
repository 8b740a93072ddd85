"""Sub-commands of ``cdkg``, one module each.

A module here provides ``register(subparsers)``, which adds its parser and sets
``func`` to a ``run(args) -> int``. :mod:`cdkg.cli` discovers the modules by name,
so adding a command touches no other file.
"""
