"""The static linked-data site: pages, data files, dumps, catalogue and documentation."""
