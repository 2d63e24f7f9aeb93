"""Locale choice: ?lang= switches and is remembered in the session; zh_CN by default."""
from __future__ import annotations

from flask import current_app, request, session


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = request.args.get("lang") if request else None
    if chosen in languages:
        session["lang"] = chosen
        return str(chosen)
    remembered = session.get("lang")
    if remembered in languages:
        return str(remembered)
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])
