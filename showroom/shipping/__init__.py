"""Shipping (货运, Std ch.6): packed orders handed to carriers, rates, notices."""
