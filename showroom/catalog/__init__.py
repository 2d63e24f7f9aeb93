"""Catalog: products, areas, stock moves and receipts; CSV import."""
