"""Every URL of packing, in one place: Counting and packing at the print station (点货、包装,
Std ch.5)."""
from flask import Blueprint

from showroom.packing import views, views_signoff

bp = Blueprint("packing", __name__, url_prefix="/packing")

bp.add_url_rule("/", view_func=views.queue)
bp.add_url_rule("/rows", view_func=views.queue_rows)
bp.add_url_rule("/orders/<int:order_id>", view_func=views.bench)
bp.add_url_rule("/orders/<int:order_id>/mode", view_func=views.choose_mode, methods=["POST"])
bp.add_url_rule("/orders/<int:order_id>/scan", view_func=views.scan, methods=["POST"])
bp.add_url_rule("/orders/<int:order_id>/lines/<int:line_id>/tick",
                view_func=views.manual_tick, methods=["POST"])
bp.add_url_rule("/orders/<int:order_id>/lines/<int:line_id>/untick",
                view_func=views.untick, methods=["POST"])
bp.add_url_rule("/orders/<int:order_id>/boxes", view_func=views.add_box, methods=["POST"])
bp.add_url_rule("/orders/<int:order_id>/boxes/<int:box_id>/current",
                view_func=views.choose_box, methods=["POST"])
bp.add_url_rule("/orders/<int:order_id>/boxes/<int:box_id>/remove",
                view_func=views.remove_box, methods=["POST"])
bp.add_url_rule("/orders/<int:order_id>/sign", view_func=views_signoff.sign, methods=["POST"])
bp.add_url_rule("/orders/<int:order_id>/name", view_func=views_signoff.confirm_name,
                methods=["POST"])
bp.add_url_rule("/orders/<int:order_id>/signature",
                view_func=views_signoff.customer_signature, methods=["POST"])
bp.add_url_rule("/orders/<int:order_id>/payment", view_func=views_signoff.payment_checked, methods=["POST"])
bp.add_url_rule("/orders/<int:order_id>/cross-out", view_func=views_signoff.cross_out, methods=["POST"])
bp.add_url_rule("/orders/<int:order_id>/seal", view_func=views_signoff.seal, methods=["POST"])
bp.add_url_rule("/orders/<int:order_id>/sealed", view_func=views_signoff.sealed)
bp.add_url_rule("/orders/<int:order_id>/signed-slip.pdf", view_func=views_signoff.signed_slip)
