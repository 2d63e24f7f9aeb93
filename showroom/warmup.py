"""Warm a preloaded app before gunicorn forks its workers: compile every template and
load both translation catalogs once in the master, so the compiled code is shared by the
workers (copy-on-write) and no tablet's first request of a kind pays for compiling a
template (100-400 ms for the bench or the order page on a 2-core box; each worker paid it
again, which made the rare request types' p95 in `make loadtest` their cold start)."""
from __future__ import annotations

import gc

from flask import Flask
from flask_babel import get_translations, refresh


def warm_up(app: Flask) -> int:
    """Compile the app's templates and load its catalogs; returns how many templates."""
    names = [n for n in app.jinja_env.list_templates() if n.endswith((".html", ".txt"))]
    for name in names:
        app.jinja_env.get_template(name)
    for lang in ("zh_CN", "en"):
        with app.test_request_context(f"/?lang={lang}"):
            refresh()
            get_translations()
    gc.collect()
    gc.freeze()  # as wsgi.py does for the start-up heap: out of the collector's full passes
    return len(names)
