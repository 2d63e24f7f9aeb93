"""Every URL of the complaints, in one place."""
from flask import Blueprint

from showroom.complaints import views, views_report

bp = Blueprint("complaints", __name__, url_prefix="/complaints")

bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/new", view_func=views.new)
bp.add_url_rule("/new", view_func=views.record, methods=["POST"], endpoint="record")
bp.add_url_rule("/stats", view_func=views_report.stats)
bp.add_url_rule("/<int:complaint_id>", view_func=views.page)
bp.add_url_rule("/<int:complaint_id>/step", view_func=views.step, methods=["POST"])
bp.add_url_rule("/<int:complaint_id>/signature.png", view_func=views.signature)
bp.add_url_rule("/<int:complaint_id>/report.pdf", view_func=views_report.report_pdf)
bp.add_url_rule("/<int:complaint_id>/print", view_func=views_report.print_report,
                methods=["POST"])
