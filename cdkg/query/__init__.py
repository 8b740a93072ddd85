"""The query library, its results as text, and queries across registries."""
