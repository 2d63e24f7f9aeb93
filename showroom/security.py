"""Response headers and request limits every route shares (SPEC §12: customer data stays
on the screens that show it).

- Content-Security-Policy on every page: scripts, styles, fonts and fetches only from this
  site (no inline script, style or handler anywhere: they live in static/), images also as
  data: URLs (the signature pad's picture), no framing (`frame-ancestors 'none'`, and
  X-Frame-Options DENY for old browsers), forms post only here.
- X-Content-Type-Options: nosniff and Referrer-Policy: same-origin on everything.
- Cache-Control: no-store on every response but the static files: pages, JSON and
  previews carry phones, debts and names, and a shared tablet's cache must not keep them.
- A body size limit on every route (MAX_CONTENT_LENGTH, 1 MiB by default; the API keeps its
  own 256 KiB): a declared larger body is refused before a byte is read, a chunked one as
  soon as it passes the limit — 413 as a readable page, or problem+json under /api/.
  Only the endpoints named in `BODY_LIMITS` (photo uploads: a phone photo is a few MiB)
  take more, and only their own limit.
- The text rule (`showroom.text_rule`) on the screens' query strings: 422, never a 500.
- SHOWROOM_COOKIE_SECURE marks the session and station cookies Secure (behind HTTPS).
- The instance folder and the spool folder are the owner's only (700), the SQLite database
  600 (SQLite gives its -wal and -shm files the database's mode), like the secret key.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge, UnprocessableEntity
from werkzeug.wrappers import Response

from showroom import text_rule

CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


#: endpoint → its own body limit in bytes (photo uploads); every other route keeps the default
BODY_LIMITS: dict[str, int] = {}


def allow_body(endpoint: str, limit: int) -> None:
    """Let one endpoint take a body up to `limit` bytes (a photo), instead of the default."""
    BODY_LIMITS[endpoint] = limit


def register_security(app: Flask) -> None:
    secure_instance(app)
    secure = bool(app.config.get("SHOWROOM_COOKIE_SECURE"))
    app.config["SESSION_COOKIE_SECURE"] = secure
    app.config["REMEMBER_COOKIE_SECURE"] = secure
    app.config.setdefault("MAX_CONTENT_LENGTH", 1024 * 1024)

    def _refuse_large_body() -> None:
        """A declared Content-Length over the limit: 413 before anything reads the body.
        A chunked body has no length: it is read here, at most up to the limit (the API's
        own limit under /api/), and refused as soon as it reaches it — Werkzeug's limited
        stream would otherwise cut it off there silently and a form would see half a body."""
        own = BODY_LIMITS.get(request.endpoint or "")
        if own is not None:
            request.max_content_length = own
        elif request.path.startswith("/api/"):
            from showroom.api.edge import MAX_BODY

            request.max_content_length = min(MAX_BODY, request.max_content_length or MAX_BODY)
        limit = request.max_content_length
        if limit is None:
            return
        if (request.content_length or 0) > limit:
            raise RequestEntityTooLarge()
        chunked = "chunked" in request.headers.get("Transfer-Encoding", "").lower()
        if chunked and request.content_length is None and "wsgi.input_terminated" in request.environ:
            if len(request.get_data(cache=True)) >= limit:  # kept for the form parser
                raise RequestEntityTooLarge()

    # first of all hooks: before CSRF protection reads the form
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_large_body)

    @app.before_request
    def _refuse_bad_query() -> None:
        """The text rule for the screens' query strings (search boxes, filters): a refused
        character is a readable 422, never a database error. The API checks its own."""
        if request.path.startswith("/api/"):
            return
        for name, value in request.args.items(multi=True):
            refused = text_rule.check(name) or text_rule.check(value)
            if refused is not None:
                raise UnprocessableEntity(_("The address of this page %(problem)s.",
                                            problem=refused))

    @app.after_request
    def _headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if response.mimetype == "text/html":
            response.headers.setdefault("Content-Security-Policy", CSP)
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        return response

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(exc: RequestEntityTooLarge) -> Any:
        limit = request.max_content_length or app.config["MAX_CONTENT_LENGTH"]
        detail = _("The request is larger than %(kib)s KiB; send less at a time.",
                   kib=limit // 1024)
        if request.path.startswith("/api/"):
            from showroom.api.problems import problem

            return problem(413, _("Too large"), detail, type_="urn:showroom:problem:too-large")
        exc.description = detail
        return render_template("errors/error.html", error=exc), 413


def secure_instance(app: Flask) -> None:
    """Folders 700, the SQLite database (made now if new, so it is born private) 600."""
    from showroom.config import private_file, private_folder

    private_folder(Path(app.instance_path))
    spool = app.config.get("SHOWROOM_PRINT_SPOOL") or Path(app.instance_path) / "printed"
    private_folder(Path(spool))
    database = sqlite_file(str(app.config.get("SQLALCHEMY_DATABASE_URI", "")))
    if database is None:
        return
    if not database.exists() and database.parent.is_dir():
        try:
            os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            pass
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        private_file(path)


def sqlite_file(url: str) -> Path | None:
    """The file of a sqlite:///path URL; None for other databases and in-memory ones."""
    if not url.startswith("sqlite:///"):
        return None
    path = url.removeprefix("sqlite:///").split("?", 1)[0]
    return Path(path) if path and path != ":memory:" else None
