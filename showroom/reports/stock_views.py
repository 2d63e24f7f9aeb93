"""The manager's stock screen: our stock by category at wholesale value, consigned goods
apart ("not ours"), and the reorder list (SPEC §7, §13). Read-only."""
from __future__ import annotations

from flask import render_template

from showroom.auth.access import roles_required
from showroom.reports.stock import reorder_at, reorder_list, stock_figures


@roles_required("manager")
def stock() -> str:
    return render_template("reports/stock.html", figs=stock_figures(),
                           reorder=reorder_list(), reorder_at=reorder_at())
