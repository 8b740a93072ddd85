"""RDF plumbing shared by every stage: safe reading, term conversion, SPARQL lexing and
result ordering, and small helpers (hierarchy closure, pausing the garbage collector)."""
