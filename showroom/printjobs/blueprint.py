"""Every URL of printjobs, in one place: Print jobs recorded with business events, and
each station's screen of them."""
from flask import Blueprint

from showroom.printjobs import admin_views, previews, views

bp = Blueprint("printjobs", __name__, url_prefix="/print-jobs")

bp.add_url_rule("/printers", view_func=admin_views.printers)
bp.add_url_rule("/printers/new", view_func=admin_views.new_printer, methods=["GET", "POST"])
bp.add_url_rule("/printers/<int:printer_id>", view_func=admin_views.edit_printer, methods=["GET", "POST"])
bp.add_url_rule("/printers/<int:printer_id>/enabled",
                view_func=admin_views.switch_printer, methods=["POST"])
bp.add_url_rule("/printers/<int:printer_id>/test", view_func=admin_views.test_page, methods=["POST"])
bp.add_url_rule("/routes", view_func=admin_views.save_routes, methods=["POST"])
bp.add_url_rule("/samples", view_func=admin_views.samples)
bp.add_url_rule("/<int:job_id>/preview.png", view_func=previews.job_png)
bp.add_url_rule("/<int:job_id>/preview.pdf", view_func=previews.job_pdf)
bp.add_url_rule("/samples/<kind>.<fmt>", view_func=previews.sample_file)
bp.add_url_rule("/", view_func=views.station)
bp.add_url_rule("/<int:job_id>", view_func=views.preview)
bp.add_url_rule("/<int:job_id>/reprint", view_func=views.reprint_job, methods=["POST"])
bp.add_url_rule("/<int:job_id>/confirm", view_func=views.confirm_job, methods=["POST"])
