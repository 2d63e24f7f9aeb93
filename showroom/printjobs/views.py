"""Placeholder screen while the feature is being built."""
from flask import render_template
from flask_login import login_required

from showroom.printjobs import bp


@bp.route("/")
@login_required
def station() -> str:
    return render_template("placeholder.html", title="printjobs")
