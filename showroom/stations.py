"""The station a device belongs to (cashier-1, reception, pack-1 …), chosen at sign-in and
kept in a long-lived cookie: it is the desk's property, not the person's. Documents a
screen causes print at this station; without one, at the document's default station."""
from __future__ import annotations

import re

from flask import current_app, request
from werkzeug.wrappers import Response

COOKIE = "showroom_station"
_VALID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def valid_station(value: str | None) -> bool:
    return bool(value) and bool(_VALID.match(value or ""))


def device_station() -> str | None:
    value = request.cookies.get(COOKIE)
    return value if valid_station(value) else None


def remember_station(response: Response, station: str | None) -> None:
    if station and valid_station(station):
        response.set_cookie(COOKIE, station, max_age=365 * 24 * 3600, httponly=True,
                            samesite="Lax",
                            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    elif station == "":
        response.delete_cookie(COOKIE)
