"""Every URL of the managers' reports: the daily report and the exports."""
from flask import Blueprint

from showroom.reports import stock_views, views

bp = Blueprint("reports", __name__, url_prefix="/reports")

bp.add_url_rule("/daily", view_func=views.daily)
bp.add_url_rule("/stock", view_func=stock_views.stock)
bp.add_url_rule("/daily.pdf", view_func=views.daily_pdf)
bp.add_url_rule("/daily.<fmt>", view_func=views.daily_export)
bp.add_url_rule("/balances.<fmt>", view_func=views.balances_export)
bp.add_url_rule("/customers/<int:customer_id>/ledger.<fmt>", view_func=views.ledger_export)
