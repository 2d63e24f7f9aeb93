"""Counting and packing at the print station (点货、包装, Std ch.5)."""
