"""Every URL of the repairs, in one place."""
from flask import Blueprint

from showroom.repairs import views, views_moves

bp = Blueprint("repairs", __name__, url_prefix="/repairs")

bp.add_url_rule("/", view_func=views.lists)
bp.add_url_rule("/new", view_func=views.intake)
bp.add_url_rule("/new", view_func=views.take, methods=["POST"], endpoint="take")
bp.add_url_rule("/refused", view_func=views.refusal_notice)
bp.add_url_rule("/<int:repair_id>", view_func=views.page)
bp.add_url_rule("/<int:repair_id>/photos", view_func=views_moves.add_photos, methods=["POST"])
bp.add_url_rule("/<int:repair_id>/route", view_func=views_moves.route, methods=["POST"])
bp.add_url_rule("/handover", view_func=views_moves.handover, methods=["POST"])
bp.add_url_rule("/<int:repair_id>/back", view_func=views_moves.piece_back, methods=["POST"])
bp.add_url_rule("/<int:repair_id>/collect", view_func=views_moves.piece_collected,
                methods=["POST"])
