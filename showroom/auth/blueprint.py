"""Every URL of auth, in one place: staff sign-in, fast user switch, sign-out, one's own
PIN, and the manager's staff list (PIN reset, disable/enable)."""
from flask import Blueprint

from showroom.auth import staff_views, views

bp = Blueprint("auth", __name__)

bp.add_url_rule("/", view_func=views.home)
bp.add_url_rule("/login", view_func=views.login, methods=["GET", "POST"])
bp.add_url_rule("/switch", view_func=views.switch_user, methods=["POST"])
bp.add_url_rule("/logout", view_func=views.logout, methods=["POST"])
bp.add_url_rule("/staff/", view_func=staff_views.staff_list)
bp.add_url_rule("/staff/new", view_func=staff_views.new_staff, methods=["GET", "POST"])
bp.add_url_rule("/staff/<int:staff_id>/edit", view_func=staff_views.edit_staff,
                methods=["GET", "POST"])
bp.add_url_rule("/staff/<int:staff_id>/pin", view_func=staff_views.reset_pin, methods=["POST"])
bp.add_url_rule("/staff/<int:staff_id>/active", view_func=staff_views.switch_active,
                methods=["POST"])
bp.add_url_rule("/me/pin", view_func=staff_views.change_pin, methods=["GET", "POST"])
