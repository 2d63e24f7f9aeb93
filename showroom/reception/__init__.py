"""Reception (厅前接待): the visit board, clerk assignment, lockers, phone inquiries."""
from flask import Blueprint

bp = Blueprint("reception", __name__, url_prefix="/reception")

from showroom.reception import views  # noqa: E402,F401
