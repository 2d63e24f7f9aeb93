"""Every URL of returns and exchanges, in one place: under the cashier's area."""
from flask import Blueprint

from showroom.aftersales import views

bp = Blueprint("aftersales", __name__, url_prefix="/cashier/returns")

bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/customers/<int:customer_id>", view_func=views.customer_page)
bp.add_url_rule("/customers/<int:customer_id>", view_func=views.act, methods=["POST"],
                endpoint="act")
bp.add_url_rule("/customers/<int:customer_id>/contract", view_func=views.contract,
                methods=["POST"])
bp.add_url_rule("/docs/<int:doc_id>", view_func=views.document)
