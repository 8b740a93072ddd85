"""Validation: the shipped SHACL shapes run over a graph, a store or an endpoint."""
