"""Customers: one search box, quick registration, the customer file and ledger."""
