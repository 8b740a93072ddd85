"""Loading descriptions into a registry store: one named graph per source, and removing them."""
