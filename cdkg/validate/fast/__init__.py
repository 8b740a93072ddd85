"""The fast engine: the shipped shapes compiled to SPARQL and run over a whole store.

It gives the reference engine's verdicts (same results, same classifications; checked
by differential tests) in a fraction of the time, because each constraint is one
query over every focus node instead of one query per focus node, and Oxigraph
evaluates it. Shapes it cannot compile are handed to the reference engine, and a note
on stderr says which; it is never silently wrong.

* :func:`run_fast` — ``cdkg validate/classify --engine fast`` over an rdflib graph;
* :func:`evaluate` — over any :class:`~cdkg.validate.fast.backend.Backend` (an Oxigraph store on
  disk, e.g. a registry, without copying it).
"""

from __future__ import annotations

from cdkg.validate.fast.pipeline import evaluate, fast_report, run_fast

__all__ = ["evaluate", "fast_report", "run_fast"]
