"""PINs: the one rule for a good PIN, and argon2id hashing with the configured parameters.

`verify_pin` always runs one argon2 verify, against a dummy hash of the same parameters
when there is no real hash (unknown or disabled staff number), so the answer takes as
long whether the number exists or not.
"""
from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

from showroom.errors import ValidationFailed

MIN_LEN, MAX_LEN = 6, 12
_DUMMY: dict[tuple[int, int, int], str] = {}
_SLOTS: dict[int, threading.BoundedSemaphore] = {}
_SLOTS_LOCK = threading.Lock()


@contextmanager
def _hash_slot() -> Iterator[None]:
    """At most SHOWROOM_ARGON2_THREADS hashes at once in this process (0: one per CPU).
    40 sign-ins at once then finish one after another at full speed (median about half
    the total) instead of all sharing the CPU and finishing together at the end, and
    they need 2 x 19 MiB instead of 40 x 19 MiB."""
    size = current_app.config["SHOWROOM_ARGON2_THREADS"] or os.cpu_count() or 1
    with _SLOTS_LOCK:
        slot = _SLOTS.setdefault(size, threading.BoundedSemaphore(size))
    with slot:
        yield


def hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(time_cost=cfg["SHOWROOM_ARGON2_TIME_COST"],
                          memory_cost=cfg["SHOWROOM_ARGON2_MEMORY_KIB"],
                          parallelism=cfg["SHOWROOM_ARGON2_PARALLELISM"])


def _dummy_hash(ph: PasswordHasher) -> str:
    """A hash of a random secret with the current parameters, made once per process."""
    key = (ph.time_cost, ph.memory_cost, ph.parallelism)
    if key not in _DUMMY:
        with _hash_slot():
            _DUMMY[key] = ph.hash(secrets.token_hex(16))
    return _DUMMY[key]


def hash_pin(pin: str) -> str:
    with _hash_slot():
        return hasher().hash(pin)


def verify_pin(pin_hash: str | None, pin: str) -> tuple[bool, bool]:
    """(right PIN, its hash should be redone with today's parameters). One argon2 verify
    whatever happens; `pin_hash` None verifies against the dummy and is always wrong."""
    ph = hasher()
    dummy = _dummy_hash(ph)
    ok: bool
    try:
        with _hash_slot():
            ok = ph.verify(pin_hash if pin_hash is not None else dummy, pin or "")
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or pin_hash is None:
        return False, False
    return True, ph.check_needs_rehash(pin_hash)


def pin_problem(pin: str, staff_no: str = "", *, demo: bool = False) -> tuple[str, str] | None:
    """(message, short field note) when `pin` is not a good PIN for `staff_no`, else None.
    Refused: anything but 6 to 12 digits, one digit repeated (111111), a run up or down
    (123456, 654321, 890123), and the staff number inside the PIN. `demo` (the demo seed
    only) checks the digits alone."""
    pin = pin or ""
    if not (pin.isascii() and pin.isdigit() and MIN_LEN <= len(pin) <= MAX_LEN):
        return _("PIN must be 6 to 12 digits"), _("6 to 12 digits")
    if demo:
        return None
    if len(set(pin)) == 1:
        return (_("This PIN is too easy to guess: not one digit repeated (like 111111)."),
                _("too easy to guess"))
    steps = {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:], strict=False)}
    if steps in ({1}, {9}):
        return (_("This PIN is too easy to guess: not a run of digits (like 123456 or 654321)."),
                _("too easy to guess"))
    staff_no = (staff_no or "").strip()
    if len(staff_no) >= 3 and staff_no in pin:
        return (_("This PIN is too easy to guess: it must not contain the staff number."),
                _("too easy to guess"))
    return None


def validate_pin(pin: str, staff_no: str = "", *, demo: bool = False) -> None:
    """The one PIN rule for the CLI, the screens and the API."""
    problem = pin_problem(pin, staff_no, demo=demo)
    if problem is not None:
        message, note = problem
        raise ValidationFailed(message, errors={"pin": note})
