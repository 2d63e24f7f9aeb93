"""Print jobs recorded with business events, and each station's screen of them."""
from flask import Blueprint

bp = Blueprint("printjobs", __name__, url_prefix="/print-jobs")

from showroom.printjobs import admin_views, previews, views  # noqa: E402,F401
