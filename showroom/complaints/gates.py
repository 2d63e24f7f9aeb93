"""The order of a complaint's gates (SPEC §6 Details): which status may become which, and
which ONE step may be taken next from a status. A complaint judged as not standing goes
straight to the customer's acceptance of the explanation; an approval refused sends it
back to proposing; reopening (manager) sends a closed or accepted complaint back to
investigated and is counted.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from showroom.codes import StatusTable
from showroom.complaints.models import Complaint, ComplaintStatus, ComplaintStep

S = ComplaintStatus

COMPLAINT_STATUS = StatusTable(_l("Complaint"), {
    S.RECORDED: {S.JUDGED},
    S.JUDGED: {S.INVESTIGATED, S.ACCEPTED},
    S.INVESTIGATED: {S.PROPOSED},
    S.PROPOSED: {S.APPROVED, S.INVESTIGATED},  # refused approval: propose again
    S.APPROVED: {S.IMPLEMENTED},
    S.IMPLEMENTED: {S.ACCEPTED},
    S.ACCEPTED: {S.CLOSED, S.INVESTIGATED},  # feedback closes; reopen goes back
    S.CLOSED: {S.INVESTIGATED},  # reopen
})

#: Steps only a manager may take (the manager passes every role check anyway).
MANAGER_STEPS = frozenset({ComplaintStep.APPROVE, ComplaintStep.REOPEN})


def next_steps(c: Complaint) -> tuple[ComplaintStep, ...]:
    """The step(s) that may be taken now: one gate, plus reopen where it applies."""
    s = c.status
    if s == S.RECORDED:
        return (ComplaintStep.JUDGE,)
    if s == S.JUDGED:
        return (ComplaintStep.INVESTIGATE,) if c.stands else (ComplaintStep.ACCEPT,)
    if s == S.INVESTIGATED:
        return (ComplaintStep.PROPOSE,)
    if s == S.PROPOSED:
        return (ComplaintStep.APPROVE,)
    if s == S.APPROVED:
        return (ComplaintStep.IMPLEMENT,)
    if s == S.IMPLEMENTED:
        return (ComplaintStep.ACCEPT,)
    if s == S.ACCEPTED:
        return (ComplaintStep.FEEDBACK, ComplaintStep.REOPEN)
    if s == S.CLOSED:
        return (ComplaintStep.REOPEN,)
    return ()


def target(step: str, *, approved: bool = True) -> ComplaintStatus:
    """The status a step leads to."""
    return {
        ComplaintStep.JUDGE: S.JUDGED, ComplaintStep.INVESTIGATE: S.INVESTIGATED,
        ComplaintStep.PROPOSE: S.PROPOSED,
        ComplaintStep.APPROVE: S.APPROVED if approved else S.INVESTIGATED,
        ComplaintStep.IMPLEMENT: S.IMPLEMENTED, ComplaintStep.ACCEPT: S.ACCEPTED,
        ComplaintStep.FEEDBACK: S.CLOSED, ComplaintStep.REOPEN: S.INVESTIGATED,
    }[ComplaintStep(step)]


def is_open(c: Complaint) -> bool:
    return c.status != S.CLOSED
