"""Every URL of the video-call appointments, in one place."""
from flask import Blueprint

from showroom.appointments import views, views_call

bp = Blueprint("appointments", __name__, url_prefix="/appointments")

bp.add_url_rule("/", view_func=views.day)
bp.add_url_rule("/new", view_func=views.new)
bp.add_url_rule("/new", view_func=views.create, methods=["POST"], endpoint="create")
bp.add_url_rule("/<int:appointment_id>", view_func=views.page)
bp.add_url_rule("/<int:appointment_id>/reschedule", view_func=views.reschedule,
                methods=["POST"])
bp.add_url_rule("/<int:appointment_id>/no-show", view_func=views.no_show, methods=["POST"])
bp.add_url_rule("/<int:appointment_id>/cancel", view_func=views.cancel, methods=["POST"])
bp.add_url_rule("/<int:appointment_id>/goods", view_func=views_call.gather, methods=["POST"])
bp.add_url_rule("/<int:appointment_id>/goods/<int:good_id>/remove",
                view_func=views_call.drop, methods=["POST"])
bp.add_url_rule("/<int:appointment_id>/ready", view_func=views_call.ready, methods=["POST"])
bp.add_url_rule("/<int:appointment_id>/start", view_func=views_call.start, methods=["POST"])
bp.add_url_rule("/<int:appointment_id>/end", view_func=views_call.end, methods=["POST"])
bp.add_url_rule("/mine/live", view_func=views_call.mine_live)
bp.add_url_rule("/orders/<int:order_id>/bar", view_func=views_call.order_bar)
