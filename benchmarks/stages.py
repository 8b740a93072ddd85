"""Where ``cdkg load --engine fast`` spends its time: wall and CPU seconds of each stage.

``python -m benchmarks.stages DATA STORE`` loads DATA into a new store at STORE (removed
first) as ``cdkg load DATA --store STORE --engine fast`` does, and prints one line per
stage: parsing (both parses, on two threads), the working copy completed, the engine,
the classification written into the inferred graphs, the payload, and the store's
write (what was not written while the engine ran), with the peak memory. CPU seconds
count every thread of the process, so a stage on two threads can show more CPU than wall
time. The stages are timed by wrapping the functions that run them; the figures are
those of one run (quote them side by side, the machine is shared).
"""

from __future__ import annotations

import functools
import resource
import shutil
import sys
import time
from collections.abc import Callable
from typing import Any

#: (module, class or "", function, label) of each timed stage, in the order they run. A
#: function is timed where it is looked up when called: ``read_batch`` in the loader, which
#: imports it by name.
STAGES = [
    ("cdkg.load.loader", "", "read_batch", "parse (sources' stores and working copy)"),
    ("cdkg.load.batch", "Batch", "merge", "complete the working copy"),
    ("cdkg.validate.fast.pipeline", "", "evaluate", "engine (entail, rules, validate)"),
    ("cdkg.load.batch", "Batch", "add_inferred", "classification into the inferred graphs"),
    ("cdkg.load.batch", "Batch", "payload", "payload"),
    ("cdkg.store.embedded", "EmbeddedStore", "apply", "write (what is left of it)"),
]


def _owner(module: str, cls: str) -> Any:
    import importlib

    owner = importlib.import_module(module)
    return getattr(owner, cls) if cls else owner


def _timed(
    owner: Any, name: str, label: str, out: dict[str, tuple[float, float]]
) -> Callable[[], None]:
    """Wrap ``owner.name`` to add its times to ``out[label]``; returns the undo."""
    real: Callable[..., Any] = getattr(owner, name)

    @functools.wraps(real)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return real(*args, **kwargs)
        finally:
            before = out.get(label, (0.0, 0.0))
            out[label] = (
                before[0] + time.perf_counter() - wall,
                before[1] + time.process_time() - cpu,
            )

    setattr(owner, name, wrapper)
    return lambda: setattr(owner, name, real)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    data, store_dir = argv
    from cdkg.load.loader import load
    from cdkg.store import EmbeddedStore

    times: dict[str, tuple[float, float]] = {}
    undo = [_timed(_owner(module, cls), name, label, times) for module, cls, name, label in STAGES]
    shutil.rmtree(store_dir, ignore_errors=True)
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        with EmbeddedStore(store_dir) as store:
            report = load(store, [data], engine="fast", progress=False)
    finally:
        for step in undo:
            step()
    total = (time.perf_counter() - wall, time.process_time() - cpu)
    print(f"{'stage':45s} {'wall s':>8s} {'CPU s':>8s}")
    for *_where, label in STAGES:
        if label in times:
            print(f"{label:45s} {times[label][0]:8.1f} {times[label][1]:8.1f}")
    label = f"total ({len(report.sources)} sources)"
    print(f"{label:45s} {total[0]:8.1f} {total[1]:8.1f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(f"peak memory {peak:.2f} GiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
