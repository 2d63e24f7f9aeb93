"""Every URL of catalog, in one place: Catalog: products, areas, stock moves and receipts;
CSV import."""
from flask import Blueprint

from showroom.catalog import label_views

bp = Blueprint("catalog", __name__, url_prefix="/catalog")

bp.add_url_rule("/labels", view_func=label_views.labels)
bp.add_url_rule("/labels/print", view_func=label_views.print_labels, methods=["POST"])
bp.add_url_rule("/labels/sheet.pdf", view_func=label_views.label_sheet_pdf, methods=["POST"])
bp.add_url_rule("/labels/<int:product_id>.pdf", view_func=label_views.label_pdf)
