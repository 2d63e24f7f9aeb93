"""Every URL of settlement, in one place: Settlement (结算) at the cashier: queue, payments
and change, on-the-spot returns."""
from flask import Blueprint

from showroom.settlement import views

bp = Blueprint("settlement", __name__, url_prefix="/cashier")

bp.add_url_rule("/", view_func=views.queue)
bp.add_url_rule("/queue-rows", view_func=views.queue_rows)
bp.add_url_rule("/orders/<int:order_id>", view_func=views.order)
bp.add_url_rule("/orders/<int:order_id>/customer", view_func=views.complete_file, methods=["POST"])
bp.add_url_rule("/orders/<int:order_id>/return", view_func=views.return_lines, methods=["POST"])
bp.add_url_rule("/orders/<int:order_id>/settle", view_func=views.settle_order, methods=["POST"])
