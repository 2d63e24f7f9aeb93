"""Who may see a print job's document — preview it, or have it printed again (SPEC §12).

A reprint puts the same document on paper, so it is shown to whoever collects it: the
rule for reprinting is the rule for previewing. Documents that show debts (sales slip,
customer statement) only for the roles that may see debts; box labels (the full phone,
for the carrier) only for the roles that handle boxes or may see phones.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import gettext as _

if TYPE_CHECKING:
    from showroom.auth.models import Staff

DEBT_DOCUMENTS = frozenset({"sales_slip", "customer_statement", "desk_receipt", "refund_slip",
                            "aftersales_return", "aftersales_exchange", "remit_notice"})
# The day's debts and every cashier's count: managers only (SPEC §12); a shift report goes
# to the cashier who closed and the manager.
MANAGER_DOCUMENTS = frozenset({"daily_report", "consignor_payout", "consignor_statement"})
CASH_DOCUMENTS = frozenset({"shift_report"})
# The manager passes every role check.
BOX_LABEL_ROLES = ("packer", "shipper", "reception", "cashier")


def may_preview(staff: Staff, document: str) -> bool:
    from showroom.customers.services import may_see_debt  # the customers package imports us

    if document == "box_label":
        return staff.has_role(*BOX_LABEL_ROLES)
    if document in MANAGER_DOCUMENTS:
        return "manager" in staff.role_set
    if document in CASH_DOCUMENTS:
        return staff.has_role("cashier")
    return document not in DEBT_DOCUMENTS or may_see_debt(staff)


def refusal(document: str) -> str:
    """Why `may_preview` said no, for the 403."""
    if document == "box_label":
        return _("a box label shows the full phone number: only packing, shipping, reception, "
                 "the cashier or a manager may see it")
    if document in MANAGER_DOCUMENTS:
        return _("the daily report is for managers only")
    return _("this document shows debts: only a cashier or a manager may see it")
