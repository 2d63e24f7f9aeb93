"""The benchmark database: a showroom after two years of trade, built fast and cached.

200,000 products (barcodes, Chinese names, bigram index), 20,000 customers, 50,000
settled past orders with 1,000,000 lines, and the ledgers those orders imply: a stock
receipt move per product and a sale move per sold line (on_hand = sum of moves), a sale
and a payment entry per order (balance = sum of entries, running balance_after),
settlements and payments. Rows are planned in memory from a seeded RNG, then written
with Core executemany in one transaction (rollback journal, no fsync while building).

The file is cached as instance/bench/showroom-<key>.db; the key is DATA_VERSION plus a
hash of the schema and of this generator, so a model or generator change rebuilds it.
Force a rebuild with `BENCH_REGEN=1 make bench` (or `rm -rf instance/bench`).
"""
from __future__ import annotations

import hashlib
import json
import random
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import words
from sqlalchemy import bindparam, func, insert, select, text, update
from sqlalchemy.schema import CreateIndex, CreateTable

from showroom import create_app
from showroom.auth.services import add_staff
from showroom.catalog.models import Area, Product, StockMove, StockReceipt
from showroom.catalog.search import index_names
from showroom.config import REPO_ROOT
from showroom.customers.models import Customer, LedgerEntry
from showroom.extensions import db
from showroom.numbering import DocumentCounter
from showroom.orders.models import Order, OrderLine
from showroom.settlement.models import Payment, Settlement

DATA_VERSION = "1"
SIZES = {"products": 200_000, "customers": 20_000, "orders": 50_000, "lines": 1_000_000}
BENCH_DIR = REPO_ROOT / "instance" / "bench"
PIN = "246810"
STAFF = (("1001", "跟单小王", "clerk"), ("2001", "收银小李", "cashier"), ("3001", "店长老张", "manager"))
SEED = 20261122
CHUNK = 20_000
TZ = ZoneInfo("Asia/Shanghai")


def cache_key() -> str:
    """DATA_VERSION + hash of the schema DDL (tables and indexes) and of the generator's
    source."""
    create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})  # registers every model
    ddl = "".join(str(CreateTable(t)) + "".join(sorted(str(CreateIndex(i)) for i in t.indexes))
                  for t in db.metadata.sorted_tables)  # an index added: a new database too
    here = Path(__file__).parent
    src = (here / "datagen.py").read_bytes() + (here / "words.py").read_bytes()
    digest = hashlib.sha1(ddl.encode() + src + json.dumps(SIZES).encode()).hexdigest()[:10]
    return f"v{DATA_VERSION}-{digest}"


def ensure_database(force: bool = False) -> tuple[Path, dict[str, Any]]:
    """The cached database file and its metadata, generating them first if needed."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    key = cache_key()
    path, meta_path = BENCH_DIR / f"showroom-{key}.db", BENCH_DIR / f"showroom-{key}.json"
    if path.exists() and meta_path.exists() and not force:
        meta = json.loads(meta_path.read_text())
        meta["reused"] = True
        return path, meta
    for old in BENCH_DIR.glob("showroom-*"):
        old.unlink()
    tmp = BENCH_DIR / f"building-{key}.db"
    for leftover in BENCH_DIR.glob("building-*"):
        leftover.unlink()
    print(f"generating the benchmark database {path.name} (once; cached afterwards) ...", flush=True)
    started = time.perf_counter()
    meta = generate(tmp)
    meta |= {"key": key, "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
             "generation_seconds": round(time.perf_counter() - started, 1),
             "size_mb": round(tmp.stat().st_size / 2**20)}
    tmp.rename(path)
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False))
    print(f"generated in {meta['generation_seconds']} s ({meta['size_mb']} MB)", flush=True)
    meta["reused"] = False
    return path, meta


class _Batch:
    """Rows for several tables, written in the given (foreign-key) order every CHUNK rows."""

    def __init__(self, conn: Any, *tables: Any) -> None:
        self.conn, self.rows = conn, {t: [] for t in tables}
        self.pending = 0

    def add(self, table: Any, row: dict[str, Any]) -> None:
        self.rows[table].append(row)
        self.pending += 1
        if self.pending >= CHUNK:
            self.flush()

    def flush(self) -> None:
        for table, rows in self.rows.items():
            if rows:
                self.conn.execute(insert(table), rows)
                rows.clear()
        self.pending = 0


def generate(path: Path) -> dict[str, Any]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                      "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 1, "max_overflow": 0}})
    with app.app_context():
        db.create_all()
        raw = db.engine.raw_connection()  # the pool's only connection: pragmas stick to it
        for pragma in ("journal_mode=DELETE", "synchronous=OFF", "cache_size=-1000000",
                       "temp_store=MEMORY"):
            raw.cursor().execute(f"PRAGMA {pragma}")
        raw.close()
        steps = _fill(random.Random(SEED))
        db.session.commit()
        _check_ledgers()
        db.session.remove()
        raw = db.engine.raw_connection()
        raw.cursor().execute("PRAGMA journal_mode=WAL")  # what the app runs with
        raw.close()
        db.engine.dispose()
    return {"sizes": SIZES, "steps_seconds": steps,
            "staff": {role: no for no, _n, role in STAFF}, "pin": PIN}


def _fill(rng: random.Random) -> dict[str, float]:
    steps: dict[str, float] = {}
    t = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal t
        now = time.perf_counter()
        steps[name] = round(now - t, 1)
        t = now

    conn = db.session.connection()
    staff = {role: add_staff(no, name, [role], PIN).id for no, name, role in STAFF}
    conn.execute(insert(Area), [{"code": c, "name": n, "owner_id": staff["manager"]}
                                for c, n in words.AREAS])
    area_ids = dict(conn.execute(select(Area.code, Area.id)).tuples().all())
    kinds = words.kind_table()
    products = [words.product_row(rng, n, kinds, area_ids) for n in range(1, SIZES["products"] + 1)]
    customers = [words.customer_row(rng, n) for n in range(1, SIZES["customers"] + 1)]
    lap("plan catalog and customers")

    # Past orders, oldest first; ids are 1..N because every table starts empty.
    end = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    start = end - timedelta(days=730)
    span = int((end - start).total_seconds())
    times = sorted(start + timedelta(seconds=rng.randrange(span)) for _ in range(SIZES["orders"]))
    sizes = _line_counts(rng, SIZES["orders"], SIZES["lines"])
    popular = list(range(1, SIZES["products"] + 1))
    rng.shuffle(popular)  # product popularity: a skewed pick over a shuffled order
    sold: dict[int, int] = defaultdict(int)
    balance: dict[int, int] = defaultdict(int)
    counters: dict[str, int] = defaultdict(int)
    out = _Batch(conn, Order, OrderLine, StockMove, LedgerEntry, Settlement, Payment)

    plans = []
    for oid, (created, n_lines) in enumerate(zip(times, sizes, strict=True), 1):
        cid = rng.randint(1, SIZES["customers"])
        kind = customers[cid - 1]["kind"]
        picked: set[int] = set()
        while len(picked) < n_lines:
            picked.add(popular[int(len(popular) * rng.random() ** 2.5)])
        lines = []
        for pid in picked:
            qty = rng.choice((1, 1, 1, 2, 2, 3, 5, 10))
            p = products[pid - 1]
            lines.append((pid, qty, p["price_franchise"] if kind == "franchise" else p["price_wholesale"]))
            sold[pid] += qty
        plans.append((oid, created, cid, lines))
    lap("plan orders")

    # Products with on_hand = receipt - sales (their moves follow), indexed names.
    for n, p in enumerate(products, 1):
        p["on_hand"] = rng.randint(20, 300)
        p["created_at"] = start - timedelta(days=30)
        p["_receipt"] = p["on_hand"] + sold[n]
    for i in range(0, len(products), CHUNK):
        chunk = products[i:i + CHUNK]
        conn.execute(insert(Product), [{k: v for k, v in p.items() if k != "_receipt"} for p in chunk])
        index_names((i + j + 1, p["name"]) for j, p in enumerate(chunk))
    lap("products + name index")
    _receipts(conn, start - timedelta(days=30), staff["manager"], products)
    lap("stock receipts")
    conn.execute(insert(Customer), [c | {"balance": 0, "created_at": start - timedelta(days=60)}
                                    for c in customers])
    lap("customers")

    cashier = staff["cashier"]
    for oid, created, cid, lines in plans:
        day = created.astimezone(TZ).strftime("%Y%m%d")
        counters[day] += 1
        number = f"XS-{day}-{counters[day]:04d}"
        submitted = created + timedelta(minutes=rng.randint(10, 90))
        settled = submitted + timedelta(minutes=rng.randint(2, 30))
        total = sum(q * price for _pid, q, price in lines)
        out.add(Order, {"id": oid, "number": number, "customer_id": cid, "channel": "showroom",
                        "status": "settled", "clerk_id": staff["clerk"], "total": total,
                        "line_count": len(lines), "version": len(lines) + 3, "created_at": created,
                        "submitted_at": submitted, "settled_at": settled})
        for pid, qty, price in lines:
            out.add(OrderLine, {"order_id": oid, "product_id": pid, "qty": qty, "unit_price": price,
                                "returned_qty": 0, "added_at": created, "note": ""})
            out.add(StockMove, {"product_id": pid, "qty": -qty, "reason": "sale", "ref": number,
                                "staff_id": cashier, "created_at": settled})
        r = rng.random()  # 70 % paid in full, 10 % all on account, 20 % half on account
        on_account = 0 if r < 0.7 else total if r < 0.8 else total // 2
        paid = total - on_account
        method = rng.choice(("cash", "wechat", "alipay", "bank_transfer"))
        before = balance[cid]
        balance[cid] = before + total - paid
        entry = {"customer_id": cid, "ref": number, "staff_id": cashier, "created_at": settled}
        out.add(LedgerEntry, entry | {"kind": "sale", "amount": total, "balance_after": before + total,
                                      "note": ""})
        if paid:
            out.add(LedgerEntry, entry | {"kind": "payment", "amount": -paid, "note": method,
                                          "balance_after": balance[cid]})
        out.add(Settlement, {"id": oid, "order_id": oid, "total": total, "paid": paid,
                             "on_account": on_account, "change": 0, "balance_before": before,
                             "balance_after": balance[cid], "cashier_id": cashier,
                             "station": "cashier-1", "created_at": settled})
        for pay_method, amount in ((method, paid), ("on_account", on_account)):
            if amount:
                out.add(Payment, {"settlement_id": oid, "method": pay_method, "amount": amount,
                                  "tendered": None})
    out.flush()
    lap("orders, lines, moves, ledger")

    table = Customer.__table__
    conn.execute(update(table).where(table.c.id == bindparam("cid")).values(balance=bindparam("bal")),
                 [{"cid": cid, "bal": bal} for cid, bal in balance.items()])
    conn.execute(insert(DocumentCounter),
                 [{"prefix": "XS", "day": d, "last": n} for d, n in counters.items()]
                 + [{"prefix": "K", "day": "-", "last": SIZES["customers"]}])
    lap("balances, counters")
    return steps


def _line_counts(rng: random.Random, orders: int, lines: int) -> list[int]:
    """Order sizes from 1 to 200 lines, mean lines/orders, adding up to exactly `lines`."""
    mean = lines / orders
    sizes = [min(200, 1 + int(rng.expovariate(1 / (mean - 1)))) for _ in range(orders)]
    diff = lines - sum(sizes)
    while diff:
        i = rng.randrange(orders)
        step = 1 if diff > 0 else -1
        if 1 <= sizes[i] + step <= 200:
            sizes[i] += step
            diff -= step
    return sizes


def _receipts(conn: Any, at: datetime, staff_id: int, products: list[dict[str, Any]]) -> None:
    """Stock receipts (入库单) of 100 products each, and a receipt move per product."""
    per = 100
    day = at.astimezone(TZ).strftime("%Y%m%d")
    conn.execute(insert(StockReceipt), [
        {"number": f"RK-{day}-{r + 1:04d}", "staff_id": staff_id, "created_at": at}
        for r in range((len(products) + per - 1) // per)])
    moves = _Batch(conn, StockMove)
    for n, p in enumerate(products, 1):
        receipt = (n - 1) // per + 1
        moves.add(StockMove, {"product_id": n, "qty": p["_receipt"], "reason": "receipt",
                              "ref": f"RK-{day}-{receipt:04d}", "receipt_id": receipt,
                              "staff_id": staff_id, "created_at": at})
    moves.flush()


def ledger_mismatches() -> dict[str, int]:
    """Products whose on_hand is not the sum of their stock moves, customers whose balance
    is not the sum of their ledger entries (in the current app context)."""
    moves = select(StockMove.product_id, func.sum(StockMove.qty).label("s")).group_by(
        StockMove.product_id).subquery()
    stock = db.session.scalar(select(func.count()).select_from(Product).outerjoin(
        moves, moves.c.product_id == Product.id).where(func.coalesce(moves.c.s, 0) != Product.on_hand))
    entries = select(LedgerEntry.customer_id, func.sum(LedgerEntry.amount).label("s")).group_by(
        LedgerEntry.customer_id).subquery()
    money = db.session.scalar(select(func.count()).select_from(Customer).outerjoin(
        entries, entries.c.customer_id == Customer.id).where(
        func.coalesce(entries.c.s, 0) != Customer.balance))
    return {"products_off": int(stock or 0), "customers_off": int(money or 0)}


def _check_ledgers() -> None:
    """Refuse a database whose caches disagree with their ledgers or whose sizes are off."""
    off = ledger_mismatches()
    counts = {t: db.session.scalar(text(f"SELECT count(*) FROM {t}"))
              for t in ("products", "customers", "orders", "order_lines")}
    db.session.rollback()
    if any(off.values()):
        raise SystemExit(f"inconsistent benchmark data: {off}")
    want = {"products": SIZES["products"], "customers": SIZES["customers"],
            "orders": SIZES["orders"], "order_lines": SIZES["lines"]}
    for table, n in want.items():
        if counts[table] != n:
            raise SystemExit(f"{table}: {counts[table]} rows, expected {n}")
