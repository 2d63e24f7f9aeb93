"""Shipping (货运, Std ch.6): packed orders handed to carriers, rates, notices."""
from flask import Blueprint

bp = Blueprint("shipping", __name__, url_prefix="/shipping")

from showroom.shipping import views  # noqa: E402,F401
