"""Bulk reads and writes for the product import, fast on both backends.

PostgreSQL: rows go in with COPY (psycopg), and look-ups take one array parameter
(`= ANY(...)`), because a multi-row VALUES with tens of thousands of placeholders is slow
to prepare. SQLite: plain executemany and IN (...) lists of a few hundred values.
Everything runs in the session's current transaction; nothing here commits.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import String, Table, any_, bindparam, insert, select, update
from sqlalchemy.dialects.postgresql import ARRAY

from showroom.catalog.models import Product, StockMove
from showroom.extensions import db

PRODUCTS = cast(Table, Product.__table__)
STOCK_MOVES = cast(Table, StockMove.__table__)
IN_CHUNK = 500  # values per IN (...) list on SQLite


def _postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def chunks(values: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


def lookup(column: str, values: Sequence[str]) -> Iterable[tuple[str, int, str]]:
    """(value, product id, product code) for each product whose `column` is in `values`."""
    col = PRODUCTS.c[column]
    query = select(col, PRODUCTS.c.id, PRODUCTS.c.code)
    if not values:
        return []
    if _postgresql():
        param = bindparam("values", list(values), type_=ARRAY(String))
        return db.session.execute(query.where(col == any_(param))).tuples().all()
    found: list[tuple[str, int, str]] = []
    for chunk in chunks(values, IN_CHUNK):
        found += db.session.execute(query.where(col.in_(chunk))).tuples().all()
    return found


def insert_rows(table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows that all have the same keys (Python-side column defaults are not applied
    on PostgreSQL: give every column that has one)."""
    if not rows:
        return
    if not _postgresql():
        _executemany(table, rows)
        return
    from psycopg import sql

    columns = list(rows[0])
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns)))
    raw: Any = db.session.connection().connection.dbapi_connection
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])


def _executemany(table: Table, rows: list[dict[str, Any]]) -> None:
    """SQLite: the DB-API executemany of one compiled INSERT; columns whose type converts
    values (e.g. UTC datetimes) are converted once per distinct value."""
    conn = db.session.connection()
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=list(rows[0]))
    order = list(compiled.positiontup or [])
    getter = itemgetter(*order)
    converted: list[tuple[int, Any, dict[Any, Any]]] = []
    for i, key in enumerate(order):
        proc = table.c[key].type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
        if proc is not None:
            converted.append((i, proc, {}))
    params: list[tuple[Any, ...]] = []
    for row in rows:
        values = list(getter(row))
        for i, proc, memo in converted:
            value = values[i]
            if value is not None:
                if value not in memo:
                    memo[value] = proc(value)
                values[i] = memo[value]
        params.append(tuple(values))
    conn.exec_driver_sql(str(compiled), params)


def product_ids(codes: Sequence[str]) -> dict[str, int]:
    return {code: pid for code, pid, _code in lookup("code", codes)}


def update_products(rows: list[tuple[int, dict[str, Any], int]]) -> None:
    """(product id, fields to set, pieces to add to on-hand): one statement per set of
    fields, executed for many rows at once."""
    by_shape: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for product_id, fields, add in rows:
        params = {f"v_{k}": v for k, v in fields.items()}
        params |= {"v_id": product_id, "v_add": add}
        by_shape.setdefault(tuple(sorted(fields)), []).append(params)
    for shape, params_list in by_shape.items():
        values: dict[str, Any] = {k: bindparam(f"v_{k}") for k in shape}
        values["on_hand"] = PRODUCTS.c.on_hand + bindparam("v_add")
        stmt = update(PRODUCTS).where(PRODUCTS.c.id == bindparam("v_id")).values(values)
        db.session.execute(stmt, params_list)
