"""JSON API v1 (API.md): bearer tokens, problem+json errors, OpenAPI at /api/v1/openapi.json.

Route modules register on import into `registry.ROUTES`; `install` puts them on the
blueprint and the OpenAPI document is generated from the same list.
"""
from flask import Blueprint, Response
from werkzeug.exceptions import HTTPException

from showroom.api import (  # noqa: F401 - importing registers the routes
    appointments,  # noqa: F401,E402 - video-call appointments
    auth,
    catalog,
    complaints,
    consignment,
    consignor_money,
    customers,
    dashboard,
    followups,
    money_desk,
    orders,
    packing,
    printjobs,
    remote,
    repairs,
    reports,
    returns,
    service_levels,
    settlement,
    shifts,
    shipments,
    staff,
    visits,
    wishes,
)
from showroom.api.docs import serve_docs
from showroom.api.openapi import serve
from showroom.api.problems import problem
from showroom.api.registry import install

bp = Blueprint("api", __name__, url_prefix="/api/v1")
install(bp)


def _problem_page(exc: HTTPException) -> Response:
    """Routing errors under /api/ (404, 405, 413) answer as problem+json, not HTML."""
    return problem(exc.code or 500, exc.name, exc.description or "")


bp.record_once(lambda state: state.app.extensions.setdefault("error_renderers", {})
               .__setitem__("/api/", _problem_page))
bp.add_url_rule("/openapi.json", endpoint="openapi", view_func=serve, methods=["GET"])
bp.add_url_rule("/docs", endpoint="docs", view_func=serve_docs, methods=["GET"])
