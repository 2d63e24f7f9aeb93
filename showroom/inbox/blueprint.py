"""Every URL of the manager's inbox."""
from flask import Blueprint

from showroom.inbox import views

bp = Blueprint("inbox", __name__, url_prefix="/inbox")

bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/<kind>/<int:item_id>/handled", view_func=views.handled, methods=["POST"])
bp.add_app_template_global(views.open_total, "inbox_open_total")
