"""Catalog: products, areas, stock moves and receipts; CSV import."""
from flask import Blueprint

bp = Blueprint("catalog", __name__, url_prefix="/catalog")

from showroom.catalog import label_views, views  # noqa: E402,F401
