"""Customers: one search box, quick registration, the customer file and ledger."""
from flask import Blueprint

bp = Blueprint("customers", __name__, url_prefix="/customers")

from showroom.customers import statement_views, views  # noqa: E402,F401
