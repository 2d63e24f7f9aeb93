"""The follow-ups' URLs."""
from flask import Blueprint

from showroom.followups import views

bp = Blueprint("followups", __name__, url_prefix="/followups")

bp.add_url_rule("/", view_func=views.mine)
bp.add_url_rule("/<int:followup_id>/done", view_func=views.done, methods=["POST"])
