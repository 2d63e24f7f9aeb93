"""Product search by part of a name, fast on a large catalog.

Names are indexed as their distinct two-character pieces (bigrams). A query is answered
by walking the postings of its rarest bigram and checking the full pattern with LIKE,
stopping at the limit; a bigram that occurs nowhere answers "no match" at once.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, event, func, insert, inspect, literal, select, union_all
from sqlalchemy.orm import Session

from showroom.catalog.models import Product, ProductNameGram
from showroom.extensions import db

PROBE_CAP = 2000  # counting stops here: enough to tell rare from common
MAX_PROBES = 8  # grams counted per query


def bigrams(text: str) -> set[str]:
    text = "".join(text.lower().split())
    return {text[i:i + 2] for i in range(len(text) - 1)}


def index_names(products: Iterable[tuple[int, str]], *, replace: bool = False) -> None:
    """(Re)build the bigrams of these products' names; call after inserts or renames."""
    rows = [(pid, name) for pid, name in products]
    if not rows:
        return
    if replace:
        db.session.execute(delete(ProductNameGram).where(
            ProductNameGram.product_id.in_([pid for pid, _ in rows])))
    values = [{"gram": g, "product_id": pid} for pid, name in rows for g in bigrams(name)]
    conn = db.session.connection()  # Core executemany: the ORM bulk path is ~3x slower
    for start in range(0, len(values), 5000):
        conn.execute(insert(ProductNameGram), values[start:start + 5000])


def _escape(q: str) -> str:
    return q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _rarest(grams: Sequence[str]) -> str | None:
    """The bigram with the fewest postings (capped count); None if one has no postings.

    One statement for all of them (a UNION ALL of capped counts): each round trip costs
    more in Python than the counting itself. Long queries probe at most MAX_PROBES grams,
    spread over the query; LIKE still checks the whole pattern."""
    if len(grams) > MAX_PROBES:
        step = len(grams) / MAX_PROBES
        grams = [grams[int(i * step)] for i in range(MAX_PROBES)]
    parts = [select(literal(i).label("i"), func.count().label("n")).select_from(
        select(ProductNameGram.product_id).where(ProductNameGram.gram == g)
        .limit(PROBE_CAP).subquery()) for i, g in enumerate(grams)]
    counts = db.session.execute(parts[0] if len(parts) == 1 else union_all(*parts)).tuples().all()
    if not counts or min(n for _i, n in counts) == 0:
        return None
    return grams[min(counts, key=lambda row: (row[1], row[0]))[0]]


def search_names(q: str, limit: int, exclude: set[int] | None = None) -> list[Product]:
    q = "".join(q.split())
    pattern = f"%{_escape(q)}%"
    low = q.lower()  # the bigrams of bigrams(), in query order
    grams = list(dict.fromkeys(low[i:i + 2] for i in range(len(low) - 1)))
    if not grams:  # one character: common ones match early, LIMIT bounds the scan
        stmt = select(Product).where(Product.name.like(pattern, escape="\\")).order_by(Product.id)
    else:
        rarest = _rarest(grams)
        if rarest is None:  # a piece of the query occurs in no name
            return []
        stmt = (select(Product).join(ProductNameGram, ProductNameGram.product_id == Product.id)
                .where(ProductNameGram.gram == rarest, Product.name.like(pattern, escape="\\"))
                .order_by(ProductNameGram.product_id))
    if exclude:
        stmt = stmt.where(Product.id.not_in(exclude))
    return list(db.session.scalars(stmt.limit(limit)))


@event.listens_for(Session, "after_flush")
def _index_flushed_products(session: Session, _ctx: Any) -> None:
    """Products added or renamed through the ORM keep their bigrams current by themselves;
    bulk Core inserts (CSV import, demo seed) call index_names explicitly."""
    new = [p for p in session.new if isinstance(p, Product)]
    renamed = [p for p in session.dirty if isinstance(p, Product)
               and inspect(p).attrs.name.history.has_changes()]
    if not new and not renamed:
        return
    conn = session.connection()
    if renamed:
        conn.execute(delete(ProductNameGram).where(
            ProductNameGram.product_id.in_([p.id for p in renamed])))
    values = [{"gram": g, "product_id": p.id} for p in new + renamed for g in bigrams(p.name)]
    if values:
        conn.execute(insert(ProductNameGram), values)
