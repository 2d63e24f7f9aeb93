"""Every URL of shipping, in one place: Shipping (货运, Std ch.6): packed orders handed to
carriers, rates, notices."""
from flask import Blueprint

from showroom.shipping import rate_views, views

bp = Blueprint("shipping", __name__, url_prefix="/shipping")

bp.add_url_rule("/", view_func=views.queue)
bp.add_url_rule("/queue-rows", view_func=views.queue_rows)
bp.add_url_rule("/orders/<int:order_id>", view_func=views.ship_form)
bp.add_url_rule("/orders/<int:order_id>", view_func=views.ship, methods=["POST"])
bp.add_url_rule("/shipments/<int:shipment_id>", view_func=views.shipment)
bp.add_url_rule("/shipments/<int:shipment_id>/notices", view_func=views.notice, methods=["POST"])
bp.add_url_rule("/shipments/<int:shipment_id>/email", view_func=views.email, methods=["POST"])
bp.add_url_rule("/rates", view_func=rate_views.rates)
bp.add_url_rule("/rates", view_func=rate_views.save_rate, methods=["POST"])
bp.add_url_rule("/rates/<int:rate_id>/delete", view_func=rate_views.remove_rate, methods=["POST"])
bp.add_url_rule("/shipments", view_func=rate_views.shipments)
