"""Product search: by barcode, by code (exact and prefix), by part of a Chinese name.

Queries come from the catalog itself: codes and barcodes of random products, 2–4
characters cut from random products' names, plus names that match nothing. Through the
service (`search_products`, in a read-only transaction as the GET path has) and through
`GET /api/v1/products?q=`.
"""
from __future__ import annotations

from collections.abc import Callable

from harness import Result, measure
from sqlalchemy import select
from world import World

from showroom.catalog.models import Product
from showroom.catalog.services import search_products
from showroom.db import deferred_reads
from showroom.extensions import db

TARGET_MS = 20.0
# None of these is in the catalog; some share no bigram with it, some share every bigram
# but never in this order (the index must still walk postings for those).
NO_MATCH = ("火箭", "蓝牙耳机", "高铁票", "量子", "镀铬螺丝", "戒指项链", "手镯耳钉", "银项925",
            "蝴蝶锦鲤", "链手链", "耳钉戒")


def queries(world: World, reps: int) -> dict[str, list[str]]:
    items = world.products(reps, min_stock=0)
    rng = world.rng
    with world.ctx():
        names = list(db.session.scalars(select(Product.name).where(Product.id.in_([i.id for i in items]))))
    parts = []
    for name in names:
        size = rng.randint(2, 4)
        start = rng.randrange(0, max(1, len(name) - size + 1))
        parts.append(name[start:start + size])
    return {
        "barcode (exact)": [i.barcode for i in items],
        "code (exact)": [i.code if n % 2 else i.code.lower() for n, i in enumerate(items)],
        "code prefix (5-6 chars)": [i.code[:rng.choice((5, 6))] for i in items],
        "name part (2-4 chars)": parts,
        "name, no match": list(NO_MATCH),
    }


def run(world: World, reps: int) -> list[Result]:
    qs = queries(world, reps)
    with world.ctx():  # the no-match words must really match nothing
        for q in qs["name, no match"]:
            assert not search_products(q), f"{q!r} matches the catalog; pick another"
    out = []
    for layer in ("service", "api"):
        for kind, items in qs.items():
            result = Result(f"search: {kind}", layer, target_p95=TARGET_MS)
            hits: list[int] = []
            args = (result, reps, lambda i, items=items: items[i % len(items)])
            if layer == "service":
                with world.ctx():
                    measure(*args, _service, lambda _q, n: hits.append(n))
            else:  # no app context pushed: the request gets its own, as in production
                measure(*args, _api(world), lambda _q, n: hits.append(n))
            if kind != "name, no match":
                assert min(hits) > 0, f"{kind}: a query found nothing"
            result.note = f"hits per query: mean {sum(hits) / len(hits):.1f}, max {max(hits)}"
            out.append(result)
    return out


def _service(q: str) -> int:
    with deferred_reads():
        found = search_products(q)
        db.session.rollback()
    return len(found)


def _api(world: World) -> Callable[[str], int]:
    def call(q: str) -> int:
        resp = world.api.get("/api/v1/products", query_string={"q": q}, headers=world.search_headers)
        assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
        return len(resp.get_json()["items"])
    return call
