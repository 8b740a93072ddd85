"""Sub-commands of ``cdkg``, one module each.

A module here provides ``register(subparsers)``, which adds its parser and sets
``func`` to a ``run(args) -> int``. :data:`cdkg.cli.COMMANDS` lists the modules, in
the order ``cdkg --help`` shows them: a new command is added there.
"""
