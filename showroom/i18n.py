"""Locale choice. Screens: ?lang= switches and is remembered in the session; zh_CN, the
floor's language, by default. The JSON API follows Accept-Language and defaults to English.

Two per-request costs are kept out of every page: the chosen locale is handed to
Flask-Babel already parsed (Babel's Locale.parse takes about 0.3 ms, once per request),
templates look their catalog up once per request and locale instead of through
Flask-Babel's context lookups on each of a page's 20-300 strings (about 30 µs each), and a
template's plain `_('…')` (no placeholders) is translated, escaped and %-formatted once
per catalog and kept: Jinja's newstyle gettext otherwise redoes the Markup escaping and
formatting on every call (about 25 µs each on the shop's server; 300 on a page is 7 ms)."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from babel import Locale
from flask import Flask, current_app, g, has_request_context, request, session
from flask.globals import _cv_app
from flask_babel import get_locale, get_translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup


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
    the customer's language) sets another Locale object, which misses the cache. Reads
    the app context's `g` directly: a page asks for it once per string."""
    ctx = _cv_app.get(None)
    if ctx is None:
        return get_translations()
    kept = ctx.g.__dict__
    state = kept.get("_flask_babel")  # where Flask-Babel keeps the request's chosen locale
    hit = kept.get("_showroom_catalog")
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
    # `_()` straight to it, without Jinja's alias that looks "gettext" up and calls it
    # through the context a second time.
    app.jinja_env.globals["gettext"] = app.jinja_env.globals["_"] = _template_gettext


_PLAIN = "_showroom_plain"  # the attribute of a catalog holding its finished plain strings


@pass_context
def _template_gettext(__context: Context, __string: str, **variables: Any) -> str:
    """Jinja's newstyle gettext (translate; Markup when autoescaping; always %-format),
    with the result of a call without variables kept per catalog: the same msgid in the
    same catalog always gives the same string."""
    catalog = _catalog()
    autoescape = __context.eval_ctx.autoescape
    if variables:
        return _finish(catalog.ugettext(__string), autoescape, variables)
    done: dict[tuple[str, bool], str] | None = getattr(catalog, _PLAIN, None)
    if done is None:
        done = {}
        setattr(catalog, _PLAIN, done)
    hit = done.get((__string, autoescape))
    if hit is None:
        hit = done[(__string, autoescape)] = _finish(catalog.ugettext(__string), autoescape, {})
    return hit


def _finish(text: str, autoescape: bool, variables: dict[str, Any]) -> str:
    """As Jinja's newstyle gettext: the catalog's text is markup, the values are escaped."""
    if autoescape:  # stays Markup: autoescaping must not escape the catalog's text again
        return Markup(text) % variables  # noqa: S704 - the catalog's text, as Jinja does
    return text % variables
