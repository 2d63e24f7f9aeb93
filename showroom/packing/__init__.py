"""Counting and packing at the print station (点货、包装, Std ch.5)."""
from flask import Blueprint

bp = Blueprint("packing", __name__, url_prefix="/packing")

from showroom.packing import views  # noqa: E402,F401
