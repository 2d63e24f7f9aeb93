"""Placeholder screen while the feature is being built."""
from flask import render_template
from flask_login import login_required

from showroom.picking import bp


@bp.route("/")
@login_required
def my_customers() -> str:
    return render_template("placeholder.html", title="picking")
