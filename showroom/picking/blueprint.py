"""Every URL of picking, in one place: Follow-up picking (跟单) on the clerk's tablet: the
order, wishes, issues, remarks."""
from flask import Blueprint

from showroom.picking import lists, views

bp = Blueprint("picking", __name__, url_prefix="/picking")

bp.add_url_rule("/", view_func=views.my_customers)
bp.add_url_rule("/live", view_func=views.my_customers_live)
bp.add_url_rule("/visits/<int:visit_id>/order", view_func=views.start_order, methods=["POST"])
bp.add_url_rule("/orders/<int:order_id>", view_func=views.order)
bp.add_url_rule("/orders/<int:order_id>/scan", view_func=views.scan, methods=["POST"])
bp.add_url_rule("/orders/<int:order_id>/lines/<int:line_id>/qty",
                view_func=views.line_qty, methods=["POST"])
bp.add_url_rule("/orders/<int:order_id>/lines/<int:line_id>/remove",
                view_func=views.remove_line, methods=["POST"])
bp.add_url_rule("/orders/<int:order_id>/submit", view_func=views.submit, methods=["POST"])
bp.add_url_rule("/orders/<int:order_id>/wish", view_func=views.wish, methods=["POST"])
bp.add_url_rule("/orders/<int:order_id>/issue", view_func=views.issue, methods=["POST"])
bp.add_url_rule("/orders/<int:order_id>/remark", view_func=views.remark, methods=["POST"])
bp.add_url_rule("/tasks", view_func=lists.tasks)
bp.add_url_rule("/wishes/<int:wish_id>/notified", view_func=lists.wish_notified, methods=["POST"])
bp.add_url_rule("/issues/<int:issue_id>/resolve", view_func=lists.issue_resolved, methods=["POST"])
bp.add_url_rule("/restock/<int:task_id>/done", view_func=lists.restock_done, methods=["POST"])
