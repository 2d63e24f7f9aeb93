"""The one list of API routes. Flask's URL map and the OpenAPI document are both built
from it, so what is documented is exactly what is served (and validated).

A route declares its roles, request body / query models, response model and
behaviours (Idempotency-Key, expected version); `edge.dispatch` enforces them.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint
from pydantic import BaseModel

from showroom.auth.models import ApiToken, Staff

PARAM_RE = re.compile(r"{(\w+)}")


@dataclass
class Call:
    """What a view gets besides its path parameters: the validated input and the caller."""

    body: Any = None
    query: Any = None
    token: ApiToken | None = None
    version: int | None = None

    @property
    def staff(self) -> Staff:
        assert self.token is not None, "public routes have no staff"
        return self.token.staff

    @property
    def station(self) -> str | None:
        return self.token.station if self.token is not None else None


@dataclass(frozen=True)
class Answered:
    """A view's answer with its own status, e.g. 200 instead of the route's 201 when a
    repeat found what the first request made."""

    body: BaseModel
    status: int


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # OpenAPI form below /api/v1, e.g. /orders/{order_id}
    view: Callable[..., Any]
    summary: str
    tag: str
    response: type[BaseModel]
    roles: tuple[str, ...] | None = None  # None: any signed-in staff
    public: bool = False
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    status: int = 200
    idempotent: bool = False
    versioned: bool = False
    errors: tuple[int, ...] = ()
    description: str = ""
    path_params: tuple[str, ...] = field(default=())
    max_body: int = 0  # bytes; 0 = the API's default limit (edge.MAX_BODY)
    raw_body: tuple[str, ...] = ()  # media types of a non-JSON body (a photo), for OpenAPI

    @property
    def name(self) -> str:
        """Unique endpoint / operation name, e.g. "orders_create"."""
        return f"{self.view.__module__.rsplit('.', 1)[-1]}_{self.view.__name__}"

    @property
    def int_params(self) -> tuple[str, ...]:
        return tuple(p for p in self.path_params if p == "id" or p.endswith("_id"))

    @property
    def flask_rule(self) -> str:
        return PARAM_RE.sub(
            lambda m: f"<wideint:{m[1]}>" if m[1] in self.int_params else f"<{m[1]}>", self.path)


ROUTES: list[Route] = []


def api_route(method: str, path: str, *, summary: str, tag: str, response: type[BaseModel],
              roles: tuple[str, ...] | None = None, public: bool = False,
              body: type[BaseModel] | None = None, query: type[BaseModel] | None = None,
              status: int = 200, idempotent: bool = False, versioned: bool = False,
              errors: tuple[int, ...] = (), description: str = "",
              max_body: int = 0, raw_body: tuple[str, ...] = (),
              ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        route = Route(method=method.upper(), path=path, view=view, summary=summary, tag=tag,
                      response=response, roles=roles, public=public, body=body, query=query,
                      status=status, idempotent=idempotent, versioned=versioned,
                      errors=errors, description=description,
                      path_params=tuple(PARAM_RE.findall(path)), max_body=max_body,
                      raw_body=raw_body)
        if any(r.method == route.method and r.path == path for r in ROUTES):
            raise RuntimeError(f"{route.method} {path} registered twice")
        ROUTES.append(route)
        return view

    return decorator


def install(bp: Blueprint) -> None:
    """Add every registered route to the blueprint (once, at import of showroom.api)."""
    from showroom.api.edge import dispatcher
    from showroom.security import allow_body

    for route in ROUTES:
        bp.add_url_rule(route.flask_rule, endpoint=route.name,
                        view_func=dispatcher(route), methods=[route.method])
        if route.max_body:
            allow_body(f"{bp.name}.{route.name}", route.max_body)
