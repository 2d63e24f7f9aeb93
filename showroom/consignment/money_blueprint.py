"""Every URL of the consignor money screens: statement, payout, unsold goods to return."""
from flask import Blueprint

from showroom.consignment import money_views as views

bp = Blueprint("consignor_money", __name__, url_prefix="/consignment")

bp.add_url_rule("/consignors/<int:consignor_id>/statement", view_func=views.statement)
bp.add_url_rule("/consignors/<int:consignor_id>/statement.pdf", view_func=views.statement_pdf)
bp.add_url_rule("/consignors/<int:consignor_id>/statement/print",
                view_func=views.statement_print, methods=["POST"])
bp.add_url_rule("/consignors/<int:consignor_id>/payout", view_func=views.payout,
                methods=["GET", "POST"])
bp.add_url_rule("/aged", view_func=views.aged)
