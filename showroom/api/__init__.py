"""JSON API v1 (API.md): bearer tokens, problem+json errors, OpenAPI at /api/v1/openapi.json."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
