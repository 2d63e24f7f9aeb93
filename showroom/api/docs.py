"""The API reference page (`GET /api/v1/docs`): the served OpenAPI document drawn as one
readable page — conventions first, then every operation with who may call it, its
fields and its answers — so integrators need nothing outside the running app."""
from __future__ import annotations

from typing import Any

from flask import render_template

from showroom.api.openapi import document


def _fields(schema: dict[str, Any], components: dict[str, Any]) -> list[dict[str, Any]]:
    """The top-level fields of a request or response schema: name, type, required, note."""
    ref = schema.get("$ref", "")
    if ref:
        schema = components.get(ref.rsplit("/", 1)[-1], {})
    required = set(schema.get("required", []))
    out = []
    for name, prop in schema.get("properties", {}).items():
        kinds = [p.get("type") or p.get("$ref", "").rsplit("/", 1)[-1]
                 for p in prop.get("anyOf", [prop])]
        kind = " | ".join(k for k in kinds if k) or "object"
        if prop.get("type") == "array":
            item = prop.get("items", {})
            kind = f"[{item.get('type') or item.get('$ref', '').rsplit('/', 1)[-1]}]"
        if "enum" in prop:
            kind = " | ".join(f'"{v}"' for v in prop["enum"])
        inner_ref = (prop.get("items") or prop).get("$ref", "")
        inner = components.get(inner_ref.rsplit("/", 1)[-1], {}) if inner_ref else {}
        out.append({"name": name, "type": kind, "required": name in required,
                    "note": prop.get("description", ""),
                    "inner": [f"{k}{'' if k in inner.get('required', []) else '?'}"
                              for k in inner.get("properties", {})]})
    return out


def operations() -> list[dict[str, Any]]:
    doc = document()
    components = doc["components"]["schemas"]
    ops = []
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            ok = next((c for c in op["responses"] if c.startswith("2")), "200")
            answer = op["responses"][ok].get("content", {}).get("application/json", {})
            ops.append({
                "method": method.upper(), "path": path, "tag": (op.get("tags") or ["meta"])[0],
                "summary": op.get("summary", ""), "description": op.get("description", ""),
                "params": [p for p in op.get("parameters", []) if p["in"] != "path"],
                "body": _fields(body.get("schema", {}), components) if body else [],
                "ok": ok, "answer": _fields(answer.get("schema", {}), components),
                "errors": [c for c in op["responses"] if not c.startswith("2")],
                "anchor": op.get("operationId", ""),
            })
    return sorted(ops, key=lambda o: (o["tag"], o["path"], o["method"]))


def serve_docs() -> str:
    ops = operations()
    tags = sorted({o["tag"] for o in ops})
    return render_template("api/docs.html", ops=ops, tags=tags, info=document()["info"])
