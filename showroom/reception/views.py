"""Placeholder screen while the feature is being built."""
from flask_login import login_required

from showroom.reception import bp


@bp.route("/")
@login_required
def board() -> str:
    return "reception"
