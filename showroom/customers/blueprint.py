"""Every URL of customers, in one place: Customers: one search box, quick registration,
the customer file and ledger."""
from flask import Blueprint

from showroom.customers import file_views, statement_views, views

bp = Blueprint("customers", __name__, url_prefix="/customers")

bp.add_url_rule("/<int:customer_id>/statement.pdf",
                view_func=statement_views.statement_pdf, methods=["GET", "POST"])
bp.add_url_rule("/<int:customer_id>/statement/print",
                view_func=statement_views.statement_print, methods=["POST"])
bp.add_url_rule("/", view_func=views.search)
bp.add_url_rule("/register", view_func=views.register, methods=["POST"])
bp.add_url_rule("/<int:customer_id>", view_func=views.detail)
bp.add_url_rule("/<int:customer_id>", view_func=views.update, methods=["POST"])
bp.add_url_rule("/<int:customer_id>/ledger/<int:entry_id>/reverse",
                view_func=views.reverse, methods=["POST"])
bp.context_processor(statement_views._statement_form)
bp.add_url_rule("/<int:customer_id>/file", view_func=file_views.file_page)
bp.add_url_rule("/<int:customer_id>/file", view_func=file_views.save_file, methods=["POST"])
bp.add_url_rule("/<int:customer_id>/contacts", view_func=file_views.add_contact,
                methods=["POST"])
bp.add_url_rule("/<int:customer_id>/contacts/<int:contact_id>",
                view_func=file_views.edit_contact, methods=["POST"])
bp.add_url_rule("/<int:customer_id>/contacts/<int:contact_id>/remove",
                view_func=file_views.remove_contact, methods=["POST"])
bp.add_url_rule("/<int:customer_id>/history", view_func=file_views.history_page)
