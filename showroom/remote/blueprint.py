"""Every URL of the remote-order screens (SPEC §5): orders without a visit, the day's
online orders and their answers, the amount to remit."""
from flask import Blueprint

from showroom.remote import views

bp = Blueprint("remote", __name__, url_prefix="/remote")

bp.add_url_rule("/orders/new", view_func=views.new_order)
bp.add_url_rule("/orders", view_func=views.open_order, methods=["POST"])
bp.add_url_rule("/online", view_func=views.online)
bp.add_url_rule("/orders/<int:order_id>/answer", view_func=views.answer, methods=["POST"])
bp.add_url_rule("/orders/<int:order_id>/remit", view_func=views.remit_page)
bp.add_url_rule("/orders/<int:order_id>/freight", view_func=views.freight, methods=["POST"])
bp.add_url_rule("/orders/<int:order_id>/remit/print", view_func=views.print_notice,
                methods=["POST"])
bp.add_url_rule("/orders/<int:order_id>/remit/release", view_func=views.release,
                methods=["POST"])
