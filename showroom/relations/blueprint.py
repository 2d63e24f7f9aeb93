"""The relations lists' URLs (clerks see their own customers, the manager everyone's)."""
from flask import Blueprint

from showroom.relations import views

bp = Blueprint("relations", __name__, url_prefix="/relations")

bp.add_url_rule("/birthdays", view_func=views.birthdays)
bp.add_url_rule("/festivals", view_func=views.festivals)
bp.add_url_rule("/greetings/plan", view_func=views.plan_greetings, methods=["POST"])
bp.add_url_rule("/weekly", view_func=views.weekly)
bp.add_url_rule("/weekly/plan", view_func=views.plan_week, methods=["POST"])
bp.add_url_rule("/gifts", view_func=views.gifts)
