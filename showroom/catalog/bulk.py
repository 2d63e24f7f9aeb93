"""Bulk reads and writes for the product import, fast on both backends.

`write_rows` inserts and updates products in batches and receives their stock as one
stock receipt (入库单), appending a receipt move per row with the same on-hand change.

PostgreSQL: rows go in with COPY (psycopg), and look-ups take one array parameter
(`= ANY(...)`), because a multi-row VALUES with tens of thousands of placeholders is slow
to prepare. SQLite: plain executemany and IN (...) lists of a few hundred values.
Everything runs in the session's current transaction; nothing here commits.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Protocol, TypeAlias, cast

from sqlalchemy import String, Table, any_, bindparam, insert, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError

from showroom.catalog.models import Product, ProductNameGram, StockMove, StockReceipt
from showroom.catalog.search import bigrams
from showroom.clock import now_utc
from showroom.extensions import db
from showroom.numbering import next_number

WRITE_BATCH = 5000  # rows per INSERT/UPDATE round (and progress step)
Progress: TypeAlias = Callable[[int], None] | None


class WriteRow(Protocol):
    line: int
    values: dict[str, Any]  # product columns; only those given (blank cells left out)
    stock: int  # pieces received
    existing_id: int | None  # set: update this product


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    units: int = 0
    receipt_number: str | None = None


PRODUCTS = cast(Table, Product.__table__)
STOCK_MOVES = cast(Table, StockMove.__table__)
NAME_GRAMS = cast(Table, ProductNameGram.__table__)
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
    import psycopg
    from psycopg import sql

    columns = list(rows[0])
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns)))
    raw: Any = db.session.connection().connection.dbapi_connection
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
    except psycopg.IntegrityError as exc:  # raw DB-API: wrap it as SQLAlchemy would
        raise IntegrityError(f"COPY {table.name}", None, exc) from exc


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


def write_rows(rows: Sequence[WriteRow], *, staff_id: int | None = None,
               progress: Progress = None) -> ImportResult:
    """Insert new products, update existing ones, and receive the stock as one stock receipt
    whose moves match the on-hand change. Flushes, never commits."""
    result = ImportResult()
    receipt_id: int | None = None
    if any(r.stock for r in rows):
        receipt = StockReceipt(number=next_number("receipt"), staff_id=staff_id)
        db.session.add(receipt)
        db.session.flush()
        receipt_id, result.receipt_number = receipt.id, receipt.number
    now = now_utc()
    blank = {"barcode": None, "category": "", "area_id": None, "care_note": "",
             "material": "", "origin": "", "washing_note": "", "background": ""}
    for batch in chunks(rows, WRITE_BATCH):
        new = [r for r in batch if r.existing_id is None]
        insert_rows(PRODUCTS, [blank | r.values | {"on_hand": r.stock, "created_at": now}
                                         for r in new])
        ids = product_ids([r.values["code"] for r in new])
        update_products([(r.existing_id, {k: v for k, v in r.values.items() if k != "code"},
                               r.stock) for r in batch if r.existing_id is not None])
        index_names([(ids[r.values["code"]], r.values["name"]) for r in new],
                    [(r.existing_id, r.values["name"]) for r in batch
                     if r.existing_id is not None and "name" in r.values])
        insert_rows(STOCK_MOVES, [
            {"product_id": r.existing_id or ids[r.values["code"]], "qty": r.stock,
             "reason": "receipt", "ref": result.receipt_number, "receipt_id": receipt_id,
             "staff_id": staff_id, "created_at": now} for r in batch if r.stock])
        result.created += len(new)
        result.updated += len(batch) - len(new)
        result.units += sum(r.stock for r in batch)
        if progress:
            progress(len(batch))
    restocked = [r.existing_id for r in rows if r.existing_id is not None and r.stock]
    if restocked:  # only existing products can have been wished for
        from showroom.followups.hooks import wishes_arrived

        for part in chunks(restocked, IN_CHUNK):
            wishes_arrived(part)
    return result


def index_names(new: list[tuple[int, str]], renamed: list[tuple[int, str]]) -> None:
    """Keep the search bigrams (showroom/catalog/search.py) current for bulk writes, which
    bypass the ORM event that does it for single products."""
    from sqlalchemy import delete

    if renamed:
        for part in chunks([pid for pid, _ in renamed], IN_CHUNK):
            db.session.execute(delete(NAME_GRAMS).where(NAME_GRAMS.c.product_id.in_(part)))
    rows = [{"gram": g, "product_id": pid} for pid, name in new + renamed for g in bigrams(name)]
    if rows:
        insert_rows(NAME_GRAMS, rows)
