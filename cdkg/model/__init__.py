"""The model: the shipped ontology, shapes and vocabularies, and the tools that keep them."""
