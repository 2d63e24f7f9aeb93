"""Locale choice. Screens: ?lang= switches and is remembered in the session; zh_CN, the
floor's language, by default. The JSON API follows Accept-Language and defaults to English."""
from __future__ import annotations

from flask import current_app, has_request_context, request, session


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
