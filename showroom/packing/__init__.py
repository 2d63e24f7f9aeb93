"""Counting and packing at the print station (点货、包装, Std ch.5)."""
from flask import Blueprint

bp = Blueprint("packing", __name__)
