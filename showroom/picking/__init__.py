"""Follow-up picking (跟单) on the clerk's tablet: the order, wishes, issues, remarks."""
from flask import Blueprint

bp = Blueprint("picking", __name__, url_prefix="/picking")

from showroom.picking import views  # noqa: E402,F401
