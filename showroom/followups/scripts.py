"""What to say on a callback (seed 000 "电话回访服务规范": greet, say why you call, then the
satisfied or the not-satisfied answer), per follow-up kind. English msgids, Chinese in the
catalog; shown beside the follow-up while calling."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from showroom.followups.models import FollowUpKind

OPENING = {
    FollowUpKind.INQUIRY_CALLBACK: _l(
        "Hello, this is the showroom's customer service. You called us about your question; "
        "I am calling you back as promised — may I answer it now?"),
    FollowUpKind.VISIT_CALLBACK: _l(
        "Hello, this is the showroom's customer service. Thank you for visiting us a few days "
        "ago. Were you satisfied with the goods and with our service?"),
    FollowUpKind.REPAIR_CALLBACK: _l(
        "Hello, this is the showroom's customer service. Your piece came back from repair "
        "yesterday; is everything all right with it now?"),
    FollowUpKind.COMPLAINT_CALLBACK: _l(
        "Hello, this is the showroom's customer service. Yesterday we carried out the solution "
        "to your complaint. Are you satisfied with how it was handled? From 1 to 5, how would "
        "you rate it?"),
    FollowUpKind.WEEKLY_CONTACT: _l(
        "Hello, this is your clerk at the showroom. Just keeping in touch: is there anything "
        "you are looking for this week? New pieces have come in."),
    FollowUpKind.BIRTHDAY: _l(
        "Hello, this is the showroom. Happy birthday! We wish you health and happiness in the "
        "year ahead."),
    FollowUpKind.HOLIDAY: _l(
        "Hello, this is the showroom. Best wishes for the festival to you and your family, "
        "and thank you for your support."),
    FollowUpKind.WISH_ARRIVED: _l(
        "Hello, this is the showroom. The piece you asked us for has arrived. Shall we keep "
        "it for you?"),
}
SATISFIED = _l("(Satisfied) Thank you, sorry to have disturbed you. If you need anything "
               "later, call us again; we are always glad to help. Goodbye!")
UNSATISFIED = _l("(Not satisfied) I am sorry for the trouble. I will get the right colleague "
                 "onto it at once, and we will call you back. (Write down what the customer "
                 "says, as they say it: “not satisfied” opens a complaint.)")


@dataclass(frozen=True)
class Script:
    opening: str
    satisfied: str
    unsatisfied: str


def script_for(kind: str) -> Script:
    """The callback script of a kind, in the request's language."""
    opening = OPENING.get(FollowUpKind(kind)) if kind in FollowUpKind.codes() else None
    return Script(str(opening or ""), str(SATISFIED), str(UNSATISFIED))
