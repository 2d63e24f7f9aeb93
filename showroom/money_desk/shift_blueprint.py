"""Every URL of the cashier's shift close (交班对账): count blind, check, confirm, result.
(Its own blueprint beside the money desk's payment and refund screens.)"""
from flask import Blueprint

from showroom.money_desk import shift_views

bp = Blueprint("shifts", __name__, url_prefix="/cashier/shift")

bp.add_url_rule("/", view_func=shift_views.count)
bp.add_url_rule("/check", view_func=shift_views.check, methods=["POST"])
bp.add_url_rule("/close", view_func=shift_views.close, methods=["POST"])
bp.add_url_rule("/closes/<int:close_id>", view_func=shift_views.closed)
