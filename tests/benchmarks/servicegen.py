"""A year of service data on top of the benchmark database (datagen.py), cached like it:
100,000 visits (most greeted within a minute, some slower, a few never), 100,000
follow-ups (member visit callbacks, inquiry callbacks, repair callbacks, weekly contact,
birthdays), 20,000 inquiries, 5,000 complaints and 20,000 online orders with their answers
— due times from the business calendar (showroom/bizcal.py) as the app sets them, done
mostly in time, some late, a few still open (the recent ones are at risk or late).

`enriched_database()` returns the path of the enriched file (instance/bench/service-<key>.db,
built once from the cached 1M-line database; the key adds a hash of this generator), so the
manager's home benchmark can reuse it. Times are relative to the moment of generation.
"""
from __future__ import annotations

import hashlib
import json
import random
import shutil
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import datagen
from sqlalchemy import create_engine, insert, select, text

from showroom import bizcal
from showroom.auth.models import Staff
from showroom.complaints.models import Complaint
from showroom.followups.models import FollowUp
from showroom.orders.models import Order
from showroom.reception.models import Inquiry, Visit

SERVICE_VERSION = "1"
SIZES = {"visits": 100_000, "visit_callbacks": 40_000, "inquiries": 20_000,
         "repair_callbacks": 5_000, "weekly_contacts": 25_000, "birthdays": 10_000,
         "complaints": 5_000, "online_orders": 20_000}
SEED = 20261206
CAL = bizcal.Calendar(tuple((bizcal._hm(a), bizcal._hm(b)) for a, b in bizcal.DEFAULT_HOURS))
CUTOFF = bizcal._hm("17:00")


def cache_key(golden_key: str) -> str:
    src = Path(__file__).read_bytes()
    digest = hashlib.sha1(src + json.dumps(SIZES).encode()).hexdigest()[:8]
    return f"{golden_key}-s{SERVICE_VERSION}-{digest}"


def ensure_database(force: bool = False) -> tuple[Path, dict[str, Any]]:
    """The enriched database and its metadata (the golden one's, plus `service`)."""
    golden, meta = datagen.ensure_database(force=force)
    key = cache_key(meta["key"])
    path, meta_path = golden.parent / f"service-{key}.db", golden.parent / f"service-{key}.json"
    if path.exists() and meta_path.exists() and not force:
        return path, json.loads(meta_path.read_text()) | {"reused": True}
    for old in golden.parent.glob("service-*"):
        old.unlink()
    tmp = golden.parent / f"building-service-{key}.db"
    shutil.copyfile(golden, tmp)
    print(f"adding a year of service data: {path.name} (once; cached afterwards) ...", flush=True)
    started = time.perf_counter()
    service = generate(tmp)
    tmp.rename(path)
    meta = {k: v for k, v in meta.items() if k != "reused"} | {
        "key": key, "golden_key": meta["key"], "service": service,
        "service_seconds": round(time.perf_counter() - started, 1),
        "size_mb": round(path.stat().st_size / 2**20)}
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False))
    return path, meta | {"reused": False}


def enriched_database(force: bool = False) -> Path:
    """Path of the 1M-line benchmark database plus a year of service data."""
    return ensure_database(force)[0]


def _working_moment(rng: random.Random, day: date) -> datetime:
    """A random moment in the opening hours of `day` (local), aware."""
    periods = CAL.periods
    minutes = [(a.hour * 60 + a.minute, b.hour * 60 + b.minute) for a, b in periods]
    total = sum(b - a for a, b in minutes)
    pick = rng.randrange(total * 60)
    for a, b in minutes:
        if pick < (b - a) * 60:
            secs = a * 60 + pick
            return datetime.combine(day, datetime.min.time(), tzinfo=datagen.TZ) + \
                timedelta(seconds=secs)
        pick -= (b - a) * 60
    raise AssertionError


def _done(rng: random.Random, start: datetime, due: datetime, now: datetime,
          *, late: float = 0.06, never: float = 0.02) -> datetime | None:
    """Mostly in time; some late; a few never. Nothing is done after `now`."""
    r = rng.random()
    if r < never:
        return None
    if r < never + late:
        done = due + timedelta(seconds=rng.randint(60, 3 * 86400))
    else:
        done = start + (due - start) * rng.uniform(0.05, 0.98)
    return None if done > now else done


def generate(path: Path) -> dict[str, int]:
    rng = random.Random(SEED)
    now = datetime.now(UTC).replace(microsecond=0)
    today = now.astimezone(datagen.TZ).date()
    days = [today - timedelta(days=n) for n in range(365, -1, -1)]
    working = [d for d in days if bizcal.package_working_day(d)]
    engine = create_engine(f"sqlite:///{path}")
    counts: dict[str, int] = {}
    with engine.begin() as conn:  # one transaction: one sync at its end
        staff = list(conn.execute(select(Staff.id)).scalars())
        n_customers = conn.execute(text("SELECT max(id) FROM customers")).scalar_one()

        def moment() -> datetime:
            day = rng.choice(working)
            return _working_moment(rng, day)

        # visits: greeted within 1 minute mostly (8 % slower, 1 % never)
        visits = []
        for _ in range(SIZES["visits"]):
            arrived = moment()
            if arrived > now:
                arrived = now - timedelta(minutes=rng.randint(1, 600))
            r = rng.random()
            greeted: datetime | None = arrived + timedelta(
                seconds=rng.randint(3, 55) if r < 0.91 else rng.randint(61, 600))
            if r > 0.99 or (greeted is not None and greeted > now):
                greeted = None
            visits.append({"customer_id": rng.randint(1, n_customers), "status": "left",
                           "arrived_at": arrived, "greeted_at": greeted,
                           "greeted_by_id": rng.choice(staff) if greeted else None,
                           "left_at": None})
        visits.sort(key=lambda v: v["arrived_at"])
        conn.execute(insert(Visit), visits)
        counts["visits"] = len(visits)
        first_visit = conn.execute(text("SELECT min(id) FROM visits")).scalar_one()

        followups: list[dict[str, Any]] = []

        def followup(kind: str, source_type: str, source_id: int, start: datetime,
                     due: datetime, customer_id: int | None) -> None:
            done = _done(rng, start, due, now)
            followups.append({"kind": kind, "customer_id": customer_id,
                              "source_type": source_type, "source_id": source_id,
                              "owner_id": rng.choice(staff), "due_at": due, "done_at": done,
                              "done_by_id": rng.choice(staff) if done else None,
                              "outcome": "satisfied" if done else "", "note": "",
                              "created_at": start})

        # member visit callbacks: closing time of the 3rd working day after the visit
        for i in rng.sample(range(len(visits)), SIZES["visit_callbacks"]):
            v = visits[i]
            d = v["arrived_at"].astimezone(datagen.TZ).date()
            for _ in range(2):
                d = CAL.next_working_day(d).date()
            due = CAL.next_working_day(d, at=CAL.periods[-1][1])
            followup("visit_callback", "visit", first_visit + i, v["arrived_at"], due,
                     v["customer_id"])

        # inquiries (24 working hours) and their callbacks
        inquiries = []
        for n in range(SIZES["inquiries"]):
            created = moment()
            due = CAL.due_after(created, working_hours=24)
            done = _done(rng, created, due, now)
            inquiries.append({"channel": rng.choice(("phone", "online")),
                              "caller_name": f"来电客户{n}", "phone": f"139{n:08d}",
                              "question": "拿货价格", "created_at": created,
                              "callback_due_at": due, "called_back_at": done,
                              "staff_id": rng.choice(staff)})
        inquiries.sort(key=lambda r: r["created_at"])
        conn.execute(insert(Inquiry), inquiries)
        first_inquiry = conn.execute(text("SELECT min(id) FROM inquiries")).scalar_one()
        for i, q in enumerate(inquiries):
            followup("inquiry_callback", "inquiry", first_inquiry + i, q["created_at"],
                     q["callback_due_at"], None)
        counts["inquiries"] = len(inquiries)

        # repair callbacks: opening of the next working day after the piece is back
        for n in range(SIZES["repair_callbacks"]):
            back = moment()
            followup("repair_callback", "repair", 1_000_000 + n, back,
                     CAL.next_working_day(back), rng.randint(1, n_customers))
        for kind, size in (("weekly_contact", SIZES["weekly_contacts"]),
                           ("birthday", SIZES["birthdays"])):
            for n in range(size):
                start = moment()
                followup(kind, kind, 2_000_000 + n, start, start + timedelta(days=7),
                         rng.randint(1, n_customers))
        for i in range(0, len(followups), datagen.CHUNK):
            conn.execute(insert(FollowUp), followups[i:i + datagen.CHUNK])
        counts["followups"] = len(followups)

        complaints = []
        for n in range(SIZES["complaints"]):
            recorded = moment()
            due = CAL.due_after(recorded, working_hours=24)
            done = _done(rng, recorded, due, now, late=0.1)
            complaints.append({"number": f"TS-B-{n:06d}", "status": "recorded",
                               "customer_id": rng.randint(1, n_customers), "channel": "phone",
                               "category": rng.choice(("quality", "service", "delivery")),
                               "text": "发货慢", "recorded_at": recorded,
                               "first_response_due": due, "first_response_at": done,
                               "recorded_by_id": rng.choice(staff)})
        conn.execute(insert(Complaint), complaints)
        counts["complaints"] = len(complaints)

        orders = []
        for n in range(SIZES["online_orders"]):
            created = rng.choice(days)  # the website takes orders every day, any hour
            at = datetime.combine(created, datetime.min.time(), tzinfo=datagen.TZ) + \
                timedelta(seconds=rng.randrange(86400))
            if at > now:
                at = now - timedelta(minutes=rng.randint(1, 600))
            due = CAL.same_day_due(at, cutoff=CUTOFF)
            done = _done(rng, at, due, now, late=0.05)
            orders.append({"number": f"WB-{n:08d}", "customer_id": rng.randint(1, n_customers),
                           "channel": "online", "status": "open", "created_at": at,
                           "answer_due_at": None if rng.random() < 0.02 else due,
                           "answered_at": done,
                           "answered_by_id": rng.choice(staff) if done else None})
        conn.execute(insert(Order), orders)
        counts["online_orders"] = len(orders)
    engine.dispose()
    return counts
