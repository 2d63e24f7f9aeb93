"""Settlement (结算) at the cashier: queue, payments and change, on-the-spot returns."""
from flask import Blueprint

bp = Blueprint("settlement", __name__, url_prefix="/cashier")

from showroom.settlement import views  # noqa: E402,F401
