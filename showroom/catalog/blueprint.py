"""Every URL of catalog, in one place: the back office front page, products (list, add,
edit), CSV import, stock receipts by scanning with the wishes waiting for them, tags."""
from flask import Blueprint

from showroom.catalog import import_views, label_views, product_views, receipt_views

bp = Blueprint("catalog", __name__, url_prefix="/catalog")

bp.add_url_rule("/labels", view_func=label_views.labels)
bp.add_url_rule("/labels/print", view_func=label_views.print_labels, methods=["POST"])
bp.add_url_rule("/labels/sheet.pdf", view_func=label_views.label_sheet_pdf, methods=["POST"])
bp.add_url_rule("/labels/<int:product_id>.pdf", view_func=label_views.label_pdf)
bp.add_url_rule("/", view_func=product_views.back_office)
bp.add_url_rule("/products", view_func=product_views.products)
bp.add_url_rule("/products/new", view_func=product_views.new_product, methods=["GET", "POST"])
bp.add_url_rule("/products/<int:product_id>", view_func=product_views.product,
                methods=["GET", "POST"])
bp.add_url_rule("/import", view_func=import_views.import_csv, methods=["GET", "POST"])
bp.add_url_rule("/receipts/new", view_func=receipt_views.new_receipt, methods=["GET", "POST"])
bp.add_url_rule("/receipts", view_func=receipt_views.finish_receipt, methods=["POST"])
bp.add_url_rule("/receipts/<int:receipt_id>", view_func=receipt_views.receipt)
bp.add_url_rule("/receipts/<int:receipt_id>/wishes/<int:wish_id>/notify",
                view_func=receipt_views.notify_wish, methods=["POST"])
