"""Every URL of the consignment screens (intake side), in one place."""
from flask import Blueprint

from showroom.consignment import views
from showroom.consignment.consignors import consignor_code

bp = Blueprint("consignment", __name__, url_prefix="/consignment")

bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/consignors", view_func=views.create_consignor, methods=["POST"])
bp.add_url_rule("/consignors/<int:consignor_id>", view_func=views.consignor)
bp.add_url_rule("/consignors/<int:consignor_id>/intake", view_func=views.new_intake)
bp.add_url_rule("/consignors/<int:consignor_id>/intake", view_func=views.take,
                methods=["POST"], endpoint="take")
bp.add_url_rule("/lists/<int:list_id>", view_func=views.list_page)
bp.add_url_rule("/lists/<int:list_id>/reprint", view_func=views.reprint, methods=["POST"])
bp.add_url_rule("/lists/<int:list_id>/signature", view_func=views.returned_signature,
                methods=["POST"])
bp.add_url_rule("/lists/<int:list_id>/withdraw", view_func=views.take_back, methods=["POST"])
bp.add_url_rule("/lists/<int:list_id>/list.pdf", view_func=views.list_pdf)
bp.add_url_rule("/lists/<int:list_id>/labels.pdf", view_func=views.labels_pdf)

# Product screens and the floor's search show whose goods a consigned product is.
bp.add_app_template_global(consignor_code, "consignor_code")
