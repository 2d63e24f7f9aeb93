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
- SHOWROOM_COOKIE_SECURE marks the session and station cookies Secure (behind HTTPS).
"""
from __future__ import annotations

from typing import Any

from flask import Flask, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

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


def register_security(app: Flask) -> None:
    secure = bool(app.config.get("SHOWROOM_COOKIE_SECURE"))
    app.config["SESSION_COOKIE_SECURE"] = secure
    app.config["REMEMBER_COOKIE_SECURE"] = secure
    app.config.setdefault("MAX_CONTENT_LENGTH", 1024 * 1024)

    @app.before_request
    def _refuse_large_body() -> None:
        """A declared Content-Length over the limit: 413 before anything reads the body.
        (A chunked body has no length: the limited input stream stops it at the limit.)"""
        limit = request.max_content_length
        if limit is not None and (request.content_length or 0) > limit:
            raise RequestEntityTooLarge()

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
