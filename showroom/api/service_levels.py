"""The service levels over the API (managers, SPEC §11): per level the share met in a date
range (showroom local days; default this month up to today), its late items and the items
at risk now — the same figures as the dashboard (showroom/service_levels)."""
from __future__ import annotations

from datetime import datetime

from pydantic import ConfigDict, Field

from showroom.api.registry import Call, api_route
from showroom.api.types import Out, QueryIn
from showroom.service_levels.dashboard import dashboard, parse_range
from showroom.service_levels.measure import Item, Tally

LATE_LIMIT = 200


class RangeQuery(QueryIn):
    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore", populate_by_name=True)

    from_: str | None = Field(None, alias="from", max_length=20,
                              description="YYYY-MM-DD (showroom local day); default the 1st "
                                          "of this month")
    to: str | None = Field(None, max_length=20,
                           description="YYYY-MM-DD, inclusive; default today; ≤ 400 days")


class ItemOut(Out):
    ref: str = Field(description="visit V-…, inquiry IQ-…, follow-up FU-…, order or "
                                 "complaint number")
    id: int
    customer: str
    who: str = Field(description="the staff member answerable (who did it, else its owner)")
    start_at: datetime
    due_at: datetime
    done_at: datetime | None


class RiskOut(ItemOut):
    left_seconds: int = Field(description="time left: opening time on business levels, "
                                          "wall time for the greeting")
    used: float = Field(description="share of the item's time used (≥ 0.75)")


class ShareOut(Out):
    met: int
    total: int
    share: float | None


class LevelOut(Out):
    code: str
    label: str
    target: str
    met: int = Field(description="items of the range done by their due time")
    total: int = Field(description="items due in the range and due or done by now")
    share: float | None = Field(description="met / total; null when nothing counted")
    late_count: int
    late: list[ItemOut] = Field(description=f"latest due first, at most {LATE_LIMIT}")
    at_risk: list[RiskOut]
    today: ShareOut
    week: ShareOut
    month: ShareOut


class ServiceLevelsOut(Out):
    model_config = ConfigDict(from_attributes=True, serialize_by_alias=True,
                              populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    levels: list[LevelOut]


def _share(t: Tally) -> ShareOut:
    return ShareOut(met=t.met, total=t.total, share=t.share)


def _item(it: Item) -> dict[str, object]:
    return {"ref": it.ref, "id": it.id, "customer": it.customer, "who": it.who,
            "start_at": it.start_at, "due_at": it.due_at, "done_at": it.done_at}


@api_route("GET", "/service-levels", roles=("manager",), query=RangeQuery,
           response=ServiceLevelsOut, tag="service-levels", errors=(401, 403, 422),
           summary="Service levels (SPEC §11): share met, late items and items at risk",
           description="An item counts in the range its due time falls in, once it is due "
                       "or done; met = done at or before due; at risk = open, not yet due, "
                       "75 % of its time used (opening hours; the greeting by the clock).")
def service_levels(call: Call) -> ServiceLevelsOut:
    q: RangeQuery = call.query
    first, last = parse_range(q.from_, q.to)
    levels = []
    for f in dashboard(first, last, late_limit=LATE_LIMIT):
        levels.append(LevelOut(
            code=f.code, label=str(f.level.label), target=str(f.level.target),
            met=f.range.met, total=f.range.total, share=f.range.share,
            late_count=f.range.late, late=[ItemOut.model_validate(_item(it)) for it in f.late],
            at_risk=[RiskOut.model_validate(_item(it) | {
                "left_seconds": int(it.left.total_seconds()) if it.left else 0,
                "used": round(it.used or 0.0, 4)}) for it in f.at_risk],
            today=_share(f.today), week=_share(f.week), month=_share(f.month)))
    return ServiceLevelsOut.model_validate(
        {"from": first.isoformat(), "to": last.isoformat(), "levels": levels})
