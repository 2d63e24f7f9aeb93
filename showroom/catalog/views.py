"""Catalog screens (none yet: the catalog is managed through the API and CLI)."""
