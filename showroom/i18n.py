"""Locale choice. Screens: ?lang= switches and is remembered in the session; zh_CN, the
floor's language, by default. The JSON API follows Accept-Language and defaults to English.

Two per-request costs are kept out of every page: the chosen locale is handed to
Flask-Babel already parsed (Babel's Locale.parse takes about 0.3 ms, once per request),
and templates look their catalog up once per request and locale instead of through
Flask-Babel's context lookups on each of a page's 20-100 strings (about 30 µs each)."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from babel import Locale
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_locale, get_translations


@lru_cache(maxsize=16)
def parsed(identifier: str) -> Locale:
    return Locale.parse(identifier)


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    default = str(current_app.config["BABEL_DEFAULT_LOCALE"])
    if not has_request_context():
        return default
    if request.path.startswith("/api/"):
        return str(request.accept_languages.best_match(languages, default="en"))
    chosen = request.args.get("lang")
    if chosen in languages:
        session["lang"] = chosen
        return str(chosen)
    remembered = session.get("lang")
    if remembered in languages:
        return str(remembered)
    return default


def select_parsed_locale() -> Any:
    """select_locale as the Locale object Flask-Babel would parse it into (a Locale passes
    through Locale.parse unchanged)."""
    return parsed(select_locale())


def _catalog() -> Any:
    """This request's catalog for the current locale. force_locale (a notice rendered in
    the customer's language) sets another Locale object, which misses the cache."""
    state = g.get("_flask_babel")  # where Flask-Babel keeps the request's chosen locale
    hit = g.get("_showroom_catalog")
    if hit is not None and hit[0] is getattr(state, "babel_locale", None):
        return hit[1]
    catalog = get_translations()
    g._showroom_catalog = (get_locale(), catalog)
    return catalog


def install_template_gettext(app: Flask) -> None:
    """Templates' _(), ngettext() and friends through the per-request catalog."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: _catalog().ugettext(s),
        ngettext=lambda s, p, n: _catalog().ungettext(s, p, n),
        pgettext=lambda c, s: _catalog().upgettext(c, s),
        npgettext=lambda c, s, p, n: _catalog().unpgettext(c, s, p, n),
        newstyle=True,
    )
