"""RFC 9457 problem+json bodies."""
from __future__ import annotations

from typing import Any

from flask import Response, json


def problem(status: int, title: str, detail: str = "", *, errors: dict[str, str] | None = None,
            type_: str = "about:blank") -> Response:
    body: dict[str, Any] = {"type": type_, "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    return Response(json.dumps(body, ensure_ascii=False), status=status,
                    mimetype="application/problem+json")
