"""Every URL of the manager's home."""
from flask import Blueprint

from showroom.manager import views

bp = Blueprint("manager", __name__, url_prefix="/manager")

bp.add_url_rule("", view_func=views.home, endpoint="home", strict_slashes=False)
bp.add_url_rule("/report/<month>.pdf", view_func=views.report_pdf)
