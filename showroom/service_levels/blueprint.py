"""Every URL of the service-level dashboard (managers)."""
from flask import Blueprint

from showroom.service_levels import views

bp = Blueprint("service_levels", __name__)

bp.add_url_rule("/service-levels", view_func=views.index)
