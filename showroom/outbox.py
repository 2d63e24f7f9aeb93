"""The outbox: one retry policy for everything the worker delivers outside a request —
print jobs (showroom.printjobs.worker) and e-mailed shipping notices (showroom.shipping.mail).

Every try ends in one of four outcomes, handled the same way whatever is delivered:

- DELIVERED.
- RETRY: nothing can have reached the destination (connection refused, no device, a
  printer address edited into nonsense, an SMTP server that said no before the message):
  safe to send again. The item goes back to the queue and waits the next step of the
  backoff schedule (the last step repeats); with `hold` the destination itself is down,
  so its later items wait behind this one instead of each failing on it. After the
  policy's `max_attempts` tries the item is given up.
- UNSURE: something may have reached the destination (a connection lost mid-job, paper
  out after the job went in, a worker that stopped mid-send): never sent again by itself;
  staff look and decide (reprint / send again, or confirm it arrived).
- FAILED: it can never succeed as stored (a snapshot that cannot render, an e-mail that
  cannot be encoded): given up at once.

Stuck while sending: an item a stopped worker left claimed goes back to the queue when
nothing can have gone out, else it is UNSURE (`Lane.recover`).

Each item stores an error *code* (`error`) and what the connector or server said
(`error_detail`, for the manager); screens translate the code through its label.

These rules are the same for both; only the numbers differ (POLICIES), and they keep
what each did before: a printer that is switched off keeps its jobs, in order, for as
long as it takes (1, 2, 5, 10, 30, 60 s, then every minute: SHOWROOM_PRINT_BACKOFF); an
e-mail is tried three times, 30 s and 120 s apart (SHOWROOM_MAIL_BACKOFF,
SHOWROOM_MAIL_MAX_ATTEMPTS), then shown as not sent so the shipper can send it again.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, select, update

from showroom.clock import now_utc
from showroom.codes import StatusTable
from showroom.db import deferred_reads
from showroom.extensions import db

MAX_DETAIL = 500


class Outcome(StrEnum):
    DELIVERED = "delivered"
    RETRY = "retry"
    UNSURE = "unsure"
    FAILED = "failed"


@dataclass(frozen=True)
class Verdict:
    """How one try ended: the outcome, the error code stored with the item, and what the
    connector or server said."""
    outcome: Outcome
    code: str = ""
    detail: str = ""
    hold: bool = False  # the destination is down: its later items wait too

    @classmethod
    def delivered(cls) -> Verdict:
        return cls(Outcome.DELIVERED)


def steps_of(value: object, default: Sequence[float]) -> tuple[float, ...]:
    """A backoff schedule from config: a sequence of seconds or text "1,2,5"."""
    if value is None or value == "":
        return tuple(float(s) for s in default)
    parts = value.split(",") if isinstance(value, str) else value
    if not isinstance(parts, Iterable):
        raise ValueError(f"a backoff schedule is a list of seconds, not {value!r}")
    steps = tuple(float(s) for s in parts if str(s).strip())
    if any(s < 0 for s in steps):
        raise ValueError(f"backoff steps cannot be negative: {value!r}")
    return steps or (0.0,)


@dataclass(frozen=True)
class RetryPolicy:
    backoff: tuple[float, ...] = (1, 2, 5, 10, 30, 60)  # seconds before the 2nd, 3rd … try
    max_attempts: int | None = None  # None: retry until the destination takes it

    def delay(self, failures: int) -> timedelta:
        """The wait after the n-th failure in a row (n ≥ 1); the last step repeats."""
        steps = self.backoff or (0.0,)
        return timedelta(seconds=steps[min(max(failures, 1), len(steps)) - 1])

    def gives_up(self, attempts: int) -> bool:
        return self.max_attempts is not None and attempts >= self.max_attempts

    def outcome(self, verdict: Verdict, attempts: int) -> Outcome:
        """RETRY becomes FAILED once the item has had its tries."""
        if verdict.outcome == Outcome.RETRY and self.gives_up(attempts):
            return Outcome.FAILED
        return verdict.outcome


@dataclass(frozen=True)
class Setting:
    """Where a policy's numbers come from: config keys and their defaults."""
    backoff_key: str
    backoff: tuple[float, ...]
    max_attempts_key: str = ""
    max_attempts: int | None = None


POLICIES: dict[str, Setting] = {
    "print": Setting("SHOWROOM_PRINT_BACKOFF", (1, 2, 5, 10, 30, 60)),
    "mail": Setting("SHOWROOM_MAIL_BACKOFF", (30, 120), "SHOWROOM_MAIL_MAX_ATTEMPTS", 3),
}


def policy(name: str, config: Mapping[str, Any]) -> RetryPolicy:
    """The named policy with the app's settings (SHOWROOM_PRINT_BACKOFF stays as it was;
    the e-mail keys may come from the environment as text: "30,120", "3")."""
    setting = POLICIES[name]
    most = (config.get(setting.max_attempts_key, setting.max_attempts)
            if setting.max_attempts_key else setting.max_attempts)
    return RetryPolicy(backoff=steps_of(config.get(setting.backoff_key), setting.backoff),
                       max_attempts=int(most) if most not in (None, "") else None)


@dataclass
class Backoff:
    """Who waits until when (a printer after a refusal, an e-mail after a failed try), in
    this process's memory: a restarted worker simply tries again at once. `suspect`
    holds destinations that failed ambiguously: probe them before sending anything more."""
    steps: tuple[float, ...] = (1, 2, 5, 10, 30, 60)
    until: dict[Hashable, datetime] = field(default_factory=dict)
    failures: dict[Hashable, int] = field(default_factory=dict)
    suspect: set[Hashable] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.steps = steps_of(self.steps, (1.0,))

    @classmethod
    def of(cls, retry: RetryPolicy) -> Backoff:
        return cls(steps=retry.backoff)

    def blocked(self, key: Hashable, now: datetime) -> bool:
        return key in self.until and self.until[key] > now

    def fail(self, key: Hashable, now: datetime) -> datetime:
        count = self.failures.get(key, 0) + 1
        self.failures[key] = count
        self.until[key] = now + RetryPolicy(backoff=self.steps).delay(count)
        return self.until[key]

    def ok(self, key: Hashable) -> None:
        self.until.pop(key, None)
        self.failures.pop(key, None)

    def clear(self) -> None:
        self.until.clear()
        self.failures.clear()
        self.suspect.clear()


@dataclass(frozen=True)
class Lane:
    """One kind of item in the outbox: its table, the states an outcome leads to, and
    whether anything can have gone out once it is claimed. Every status change goes
    through the item's status table; each UPDATE names the state it moves from."""
    model: Any  # the mapped class: PrintJob, ShipmentNotice
    moves: StatusTable[Any]
    queued: str
    sending: str
    delivered: str
    unsure: str
    failed: str
    stopped: str  # the error code of an item a stopped worker left claimed
    # True when the row's `sending_at` says whether bytes started to flow; False when the
    # send starts with the claim, so a claimed item is always UNSURE after a stop.
    stamps_sending: bool = False
    touches: str | None = None  # an `updated_at` column to stamp on every change
    scope: tuple[ColumnElement[bool], ...] = ()  # rows of this lane in a shared table

    def _stamp(self, values: dict[str, Any]) -> dict[str, Any]:
        if self.touches:
            values.setdefault(self.touches, now_utc())
        return values

    def status_for(self, outcome: Outcome) -> str:
        return {Outcome.DELIVERED: self.delivered, Outcome.RETRY: self.queued,
                Outcome.UNSURE: self.unsure, Outcome.FAILED: self.failed}[outcome]

    def claim(self, item_id: int, **values: Any) -> bool:
        """queued → sending, one more attempt; False when someone else got it first."""
        stmt = (self.moves.update(self.model.status, self.sending, from_=self.queued)
                .where(self.model.id == item_id, *self.scope)
                .values(self._stamp({"attempts": self.model.attempts + 1, **values})))
        return bool(db.session.execute(stmt).rowcount)  # type: ignore[attr-defined]

    def finish(self, item_id: int, verdict: Verdict, *, attempts: int, retry: RetryPolicy,
               **values: Any) -> str:
        """sending → the state the verdict leads to under the policy; returns that state."""
        status = self.status_for(retry.outcome(verdict, attempts))
        values = {"error": str(verdict.code), "error_detail": verdict.detail[:MAX_DETAIL],
                  **values}
        db.session.execute(self.moves.update(self.model.status, status, from_=self.sending)
                           .where(self.model.id == item_id).values(self._stamp(values)))
        return status

    def note(self, item_id: int, code: str, detail: str = "") -> bool:
        """Say why a queued item is still waiting (no status change); writes only when the
        reason changed, so a pass over a waiting queue costs no writes."""
        result = db.session.execute(
            update(self.model)
            .where(self.model.id == item_id, self.model.status == self.queued,
                   (self.model.error != code) | (self.model.error_detail != detail[:MAX_DETAIL]))
            .values(self._stamp({"error": str(code), "error_detail": detail[:MAX_DETAIL]})))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def recover(self) -> int:
        """Settle items a stopped worker left claimed: back to the queue when nothing can
        have gone out, else UNSURE with the `stopped` code. Reads first, so a pass with
        nothing stuck writes nothing (call while holding the worker lock)."""
        with deferred_reads():
            left = db.session.scalar(select(self.model.id).where(
                self.model.status == self.sending, *self.scope).limit(1))
            db.session.commit()
        if left is None:
            return 0
        count = 0
        if self.stamps_sending:
            safe = db.session.execute(
                self.moves.update(self.model.status, self.queued, from_=self.sending)
                .where(self.model.sending_at.is_(None), *self.scope).values(self._stamp({})))
            count += int(safe.rowcount or 0)  # type: ignore[attr-defined]
        unsure = self.moves.update(self.model.status, self.unsure, from_=self.sending)
        if self.stamps_sending:
            unsure = unsure.where(self.model.sending_at.is_not(None))
        result = db.session.execute(unsure.where(*self.scope).values(
            self._stamp({"error": str(self.stopped), "error_detail": ""})))
        count += int(result.rowcount or 0)  # type: ignore[attr-defined]
        db.session.commit()
        return count
