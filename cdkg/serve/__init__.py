"""The live registry over HTTP: application wiring, routes, the SPARQL endpoint and writes."""
