"""The OpenAPI 3.1 document, built from the route registry and the same pydantic models
the endpoints validate with and answer in, so it cannot drift from what is served."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask import Response, json
from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from showroom.api.registry import ROUTES, Route
from showroom.api.schemas import Problem
from showroom.api.types import MAX_ID

PREFIX = "/api/v1"
PROBLEM_TEXT = {
    400: "The body is not valid JSON",
    401: "No valid bearer token (or wrong staff number / PIN)",
    403: "The staff member lacks the role",
    404: "Not found",
    409: "Conflicts with the current state (stale version, already settled, key reused …)",
    413: "The body is too large",
    415: "The body is not JSON",
    422: "Invalid input; `errors` names each field",
    423: "Locked after too many wrong PINs (see Retry-After)",
    429: "Too many wrong PINs from this client address (see Retry-After)",
}


def _models() -> list[tuple[type[BaseModel], JsonSchemaMode]]:
    seen: dict[tuple[type[BaseModel], JsonSchemaMode], None] = {(Problem, "serialization"): None}
    for r in ROUTES:
        if r.body is not None:
            seen[(r.body, "validation")] = None
        seen[(r.response, "serialization")] = None
    return list(seen)


def _parameters(route: Route) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = []
    for name in route.path_params:
        schema: dict[str, Any] = (
            {"type": "integer", "minimum": 1, "maximum": MAX_ID} if name in route.int_params
            else {"type": "string", "minLength": 1, "maxLength": 64})
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
    if route.query is not None:
        schema = route.query.model_json_schema()
        required = set(schema.get("required", []))
        for name, prop in schema["properties"].items():
            params.append({"name": name, "in": "query", "required": name in required,
                           "description": prop.pop("description", ""), "schema": prop})
    if route.idempotent:
        params.append({"name": "Idempotency-Key", "in": "header", "required": False,
                       "description": "a repeat with the same key replays the first response "
                                      "and changes nothing",
                       "schema": {"type": "string", "minLength": 1, "maxLength": 80}})
    if route.versioned:
        params.append({"name": "If-Match", "in": "header", "required": False,
                       "description": "the order version you last saw, e.g. \"3\" "
                                      "(or send \"version\" in the body)",
                       "schema": {"type": "string"}})
    return params


def _error_codes(route: Route) -> list[int]:
    codes = set(route.errors)
    if not route.public:
        codes.add(401)
    if route.roles:
        codes.add(403)
    if route.body is not None:
        codes |= {400, 413, 415, 422}
    if route.query is not None:
        codes.add(422)
    if route.int_params:
        codes.add(404)
    if route.idempotent or route.versioned:
        codes.add(409)
    return sorted(codes)


def _operation(route: Route, refs: dict[Any, Any]) -> dict[str, Any]:
    who = ("anyone" if route.public else
           "roles: " + ", ".join(route.roles) + " (manager passes)" if route.roles
           else "any signed-in staff")
    op: dict[str, Any] = {
        "operationId": route.name, "summary": route.summary, "tags": [route.tag],
        "description": " ".join(t for t in (route.description, f"Who: {who}.") if t),
        "parameters": _parameters(route),
        "security": [] if route.public else [{"bearerAuth": []}],
    }
    if route.body is not None:
        required = bool(route.body.model_json_schema().get("required"))
        op["requestBody"] = {"required": required, "content": {
            "application/json": {"schema": refs[(route.body, "validation")]}}}
    elif route.raw_body:
        op["requestBody"] = {"required": True, "content": {
            media: {"schema": {"type": "string", "format": "binary",
                               **({"maxLength": route.max_body} if route.max_body else {})}}
            for media in route.raw_body}}
    responses: dict[str, Any] = {str(route.status): {
        "description": "OK" if route.status == 200 else "Created",
        "content": {"application/json": {"schema": refs[(route.response, "serialization")]}}}}
    problem_ref = refs[(Problem, "serialization")]
    for code in _error_codes(route):
        responses[str(code)] = {"description": PROBLEM_TEXT.get(code, "Refused"),
                                "content": {"application/problem+json": {"schema": problem_ref}}}
    op["responses"] = responses
    return op


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    refs, defs = models_json_schema(_models(), ref_template="#/components/schemas/{model}")
    paths: dict[str, dict[str, Any]] = {
        f"{PREFIX}/openapi.json": {"get": {
            "operationId": "openapi", "summary": "This document", "tags": ["meta"],
            "security": [],
            "responses": {"200": {"description": "OpenAPI 3.1",
                                  "content": {"application/json": {"schema": {"type": "object"}}}}},
        }}}
    for route in ROUTES:
        paths.setdefault(PREFIX + route.path, {})[route.method.lower()] = _operation(route, refs)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Showroom API", "version": "1.0.0",
                 "description": "JSON API v1 of the showroom (API.md). Money is a string with "
                                "two decimals (\"1234.50\"); errors are application/problem+json."},
        "paths": paths,
        "components": {"schemas": defs.get("$defs", {}),
                       "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
    }


def serve() -> Response:
    return Response(json.dumps(document(), ensure_ascii=False), mimetype="application/json")
