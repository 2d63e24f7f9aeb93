"""Every URL of the money desk, in one place: under the cashier's area."""
from flask import Blueprint

from showroom.money_desk import views

bp = Blueprint("money_desk", __name__, url_prefix="/cashier/desk")

bp.add_url_rule("/", view_func=views.desk)
bp.add_url_rule("/ageing", view_func=views.ageing)
bp.add_url_rule("/customers/<int:customer_id>", view_func=views.customer_page)
bp.add_url_rule("/customers/<int:customer_id>/payments", view_func=views.pay, methods=["POST"])
bp.add_url_rule("/customers/<int:customer_id>/refunds", view_func=views.refund, methods=["POST"])
bp.add_url_rule("/customers/<int:customer_id>/credit-limit", view_func=views.credit_limit,
                methods=["POST"])
bp.add_url_rule("/payments/<int:payment_id>", view_func=views.payment)
