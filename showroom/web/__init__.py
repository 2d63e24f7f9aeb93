"""The screens' edge, shared by every blueprint: transaction mode per request, error
pages, template filters, safe redirects. `screen.perform` is the one place a screen action
commits (see showroom/web/screen.py)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask, current_app, g, render_template, request
from werkzeug.exceptions import HTTPException

from showroom.clock import local
from showroom.db import reset_begin_mode, set_begin_mode
from showroom.money import fen_str, yuan
from showroom.privacy import mask_phone
from showroom.stations import device_station

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def register_transaction_hooks(app: Flask) -> None:
    """GET requests read without taking SQLite's write lock; writes begin IMMEDIATE."""

    @app.before_request
    def _begin_mode() -> None:
        if request.method in READ_METHODS:
            g._begin_token = set_begin_mode("DEFERRED")

    @app.teardown_request
    def _reset_mode(_exc: BaseException | None) -> None:
        token = g.pop("_begin_token", None)
        if token is not None:
            reset_begin_mode(token)


def register_error_pages(app: Flask) -> None:
    """Error pages for screens. A blueprint that answers in another format (the JSON API)
    registers its renderer for its path prefix in `app.extensions["error_renderers"]`."""
    renderers: dict[str, Any] = app.extensions.setdefault("error_renderers", {})

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Any:
        for prefix, render in renderers.items():
            if request.path.startswith(prefix):
                return render(exc)
        return render_template("errors/error.html", error=exc), exc.code or 500


def register_filters(app: Flask) -> None:
    from flask_babel import get_locale

    from showroom.labels import label, ref_label, station_label

    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["device_station"] = device_station
    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["yuan"] = yuan
    app.jinja_env.filters["fen"] = fen_str
    app.jinja_env.filters["localtime"] = _localtime
    app.jinja_env.filters["hm"] = lambda dt: _localtime(dt, "%H:%M") if dt else ""
    app.jinja_env.filters["mask_phone"] = mask_phone
    from showroom.repairs.documents import grams

    app.jinja_env.filters["grams"] = grams
    app.jinja_env.filters["station"] = station_label
    app.jinja_env.filters["ref"] = ref_label


def _localtime(dt: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if dt is None:
        return ""
    return local(dt, current_app.config["SHOWROOM_TIMEZONE"]).strftime(fmt)


def safe_next(target: str | None) -> str | None:
    """A local path to go back to after a form, or None: never another site, whatever
    tabs, backslashes or slashes the link was dressed up with."""
    from urllib.parse import urlsplit

    target = target or ""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if not target.isprintable() or any(c.isspace() for c in target):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None
