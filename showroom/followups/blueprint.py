"""The follow-ups' URLs: the lists, done, and the manager's calendar overrides."""
from flask import Blueprint

from showroom.followups import calendar_views, views

bp = Blueprint("followups", __name__, url_prefix="/followups")

bp.add_url_rule("/", view_func=views.mine)
bp.add_url_rule("/<int:followup_id>/done", view_func=views.done, methods=["POST"])
bp.add_url_rule("/calendar", view_func=calendar_views.calendar)
bp.add_url_rule("/calendar", view_func=calendar_views.add_day, methods=["POST"],
                endpoint="add_day")
bp.add_url_rule("/calendar/<day>/remove", view_func=calendar_views.remove_day,
                methods=["POST"])
