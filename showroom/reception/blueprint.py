"""Every URL of reception, in one place: Reception (厅前接待): the visit board, clerk
assignment, lockers, phone inquiries."""
from flask import Blueprint

from showroom.reception import departure_views, inquiry_history_views, inquiry_views, views

bp = Blueprint("reception", __name__, url_prefix="/reception")

bp.add_url_rule("/", view_func=views.board)
bp.add_url_rule("/board/rows", view_func=views.board_rows)
bp.add_url_rule("/visits/new", view_func=views.new_visit)
bp.add_url_rule("/visits/new", view_func=views.start_visit, methods=["POST"])
bp.add_url_rule("/visits/register", view_func=views.register_and_start, methods=["POST"])
bp.add_url_rule("/visits/<int:visit_id>", view_func=views.visit)
bp.add_url_rule("/visits/<int:visit_id>/greet", view_func=views.greet, methods=["POST"])
bp.add_url_rule("/visits/<int:visit_id>/details", view_func=views.details, methods=["POST"])
bp.add_url_rule("/visits/<int:visit_id>/assign", view_func=views.assign, methods=["POST"])
bp.add_url_rule("/visits/<int:visit_id>/leave", view_func=views.leave, methods=["POST"])
bp.add_url_rule("/visits/<int:visit_id>/see-off", view_func=departure_views.see_off_page)
bp.add_url_rule("/visits/<int:visit_id>/see-off",
                view_func=departure_views.see_off_submit, methods=["POST"])
bp.add_url_rule("/inquiries", view_func=inquiry_views.inquiries)
bp.add_url_rule("/inquiries", view_func=inquiry_views.log_inquiry, methods=["POST"])
bp.add_url_rule("/inquiries/<int:inquiry_id>/called-back",
                view_func=inquiry_views.called_back, methods=["POST"])
bp.add_app_template_filter(views.mmss, "mmss")
bp.add_url_rule("/inquiries/history", view_func=inquiry_history_views.inquiry_history)
bp.add_url_rule("/inquiries/<int:inquiry_id>/urgency",
                view_func=inquiry_history_views.set_urgency, methods=["POST"])
bp.add_url_rule("/inquiries/<int:inquiry_id>/escalate",
                view_func=inquiry_history_views.escalate, methods=["POST"])
bp.add_url_rule("/inquiries/<int:inquiry_id>/customer",
                view_func=inquiry_history_views.to_customer_form)
bp.add_url_rule("/inquiries/<int:inquiry_id>/customer",
                view_func=inquiry_history_views.to_customer, methods=["POST"])
