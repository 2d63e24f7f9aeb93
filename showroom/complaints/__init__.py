"""Complaints through every gate (SPEC §6, Std ch.14, seed 003)."""
