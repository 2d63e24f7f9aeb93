"""Every URL of auth, in one place: Staff sign-in, fast user switch and role checks."""
from flask import Blueprint

from showroom.auth import views

bp = Blueprint("auth", __name__)

bp.add_url_rule("/", view_func=views.home)
bp.add_url_rule("/login", view_func=views.login, methods=["GET", "POST"])
bp.add_url_rule("/switch", view_func=views.switch_user, methods=["POST"])
bp.add_url_rule("/logout", view_func=views.logout, methods=["POST"])
