"""RDF plumbing shared by every stage: safe reading, term conversion, SPARQL text and ordering."""
