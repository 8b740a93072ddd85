"""Rendering for people: pages, paths, words, charts and templates, shared by publish and serve."""
