"""`flask showroom seed-demo [--if-empty]`: fill an empty database with a demo showroom.

Staff for every role (demo PINs, printed at the end), floor areas with owners, a silver
jewellery catalog with stock received through a stock receipt, and customers of both
kinds with opening debts and credits posted as real ledger entries. Everything goes
through the domain services (products through the CSV importer's checks and bulk
insert) and is committed once at the end, or not at all. The data comes from a seeded
random source (`showroom.demo_data`), so every run gives the same showroom.
"""
from __future__ import annotations

import random
import time
import unicodedata
from pathlib import Path

import click
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from showroom import demo_data
from showroom.auth.models import Staff
from showroom.auth.services import add_staff
from showroom.catalog.importer import COLUMNS, CsvFile, check_rows, write_rows
from showroom.catalog.models import Area, Product
from showroom.catalog.services import receive_stock
from showroom.customers.services import post_entry, register_customer, update_customer
from showroom.demo_orders import seed_bench_orders
from showroom.errors import DomainError, ValidationFailed
from showroom.extensions import db
from showroom.money import fen_str

showroom_cli = AppGroup("showroom", help="Showroom set-up.")
DEFAULT_SEED = 20261122


def seed_printers(spool: Path) -> Path:
    """One spool-folder printer per station, so the demo's jobs are delivered and previewed."""
    from showroom.printjobs.models import Printer
    from showroom.printjobs.routing import DEFAULT_STATIONS

    for station in sorted(set(DEFAULT_STATIONS.values())):
        folder = spool / station
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)  # job files carry customer data
        db.session.add(Printer(name=f"demo-{station}", connection=f"file://{folder}", station=station,
                               paper_mm=80, chinese="gb18030", documents="", cutter=True,
                               drawer=station.startswith("cashier"), enabled=True, status_reply=""))
    db.session.flush()
    return spool


DEMO_RATES = (  # carrier, destination, first kg, each further kg, per box, days (yuan)
    ("sf_express", "*", "23.00", "8.00", "2.00", 1, 2),
    ("sf_express", "广东", "13.00", "2.00", "2.00", 1, 1),
    ("sf_express", "浙江", "18.00", "6.00", "2.00", 1, 2),
    ("sto_express", "*", "12.00", "4.00", "0", 2, 4),
    ("sto_express", "浙江", "10.00", "3.00", "0", 2, 3),
    ("china_railway_express", "*", "30.00", "3.50", "5.00", 2, 5),
    ("road_freight", "*", "60.00", "1.20", "3.00", 3, 7),
)


def seed_rates(staff_id: int) -> int:
    """A demo rate table (the manager's to change on /shipping/rates)."""
    from showroom.shipping.rates import set_rate

    for carrier, dest, first, per_kg, per_box, low, high in DEMO_RATES:
        set_rate(carrier=carrier, destination=dest, first_kg=first, per_kg=per_kg,
                 per_box=per_box, min_days=low, max_days=high, staff_id=staff_id)
    return len(DEMO_RATES)


def database_is_empty() -> tuple[bool, int, int]:
    staff = db.session.scalar(select(func.count()).select_from(Staff)) or 0
    products = db.session.scalar(select(func.count()).select_from(Product)) or 0
    return staff == 0 and products == 0, staff, products


def seed_staff() -> dict[str, Staff]:
    """The demo staff, with their weak demo PINs (staff number + "00"): the only path that
    may skip the PIN rule, and never when SHOWROOM_ENV=production."""
    return {no: add_staff(no, name, list(roles), pin, demo_pin=True)
            for no, name, roles, pin in demo_data.STAFF}


def seed_areas(staff: dict[str, Staff]) -> None:
    for code, name in demo_data.AREAS:
        db.session.add(Area(code=code, name=name, owner_id=staff[demo_data.AREA_OWNERS[code]].id))
    db.session.flush()


def seed_products(rng: random.Random, count: int, receiver_id: int) -> tuple[int, int]:
    """Create the catalog through the CSV importer's checks and bulk insert, then receive
    its stock in two deliveries (two stock receipts) through `receive_stock`."""
    items = demo_data.products(rng, count)
    columns = [c for c in COLUMNS if c != "stock"]
    file = CsvFile("demo", columns, [
        (n, [fen_str(i[c]) if c.startswith("price_") else str(i[c]) for c in columns])
        for n, i in enumerate(items, 2)])
    checked = check_rows(file)
    if not checked.ok:
        raise ValidationFailed("bad demo product: " + str(checked.errors[0]))
    write_rows(checked.rows)
    lines = [(str(i["code"]), int(i["stock"])) for i in items if i["stock"]]
    half = len(lines) // 2
    for part in (lines[:half], lines[half:]):
        if part:
            receive_stock(part, staff_id=receiver_id)
    return len(items), len(lines)


def seed_customers(rng: random.Random, count: int, staff_id: int) -> tuple[int, int, int]:
    """Register customers; post opening balances: 期初欠款 as an adjustment (+),
    期初余款 as a payment held on account (-)."""
    debts = credits = 0
    for c in demo_data.customers(rng, count):
        customer = register_customer(name=c["name"], phone=c["phone"], kind=c["kind"])
        update_customer(customer, address=c["address"], region=c["region"])
        opening = int(c["opening"])
        if opening > 0:
            post_entry(customer.id, "adjustment", opening, ref="OPENING", note="期初欠款",
                       staff_id=staff_id)
            debts += 1
        elif opening < 0:
            post_entry(customer.id, "payment", opening, ref="OPENING", note="期初余款（预存货款）",
                       staff_id=staff_id)
            credits += 1
    return count, debts, credits


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def logins_table(pins: dict[str, str] | None = None) -> list[str]:
    """The demo logins, aligned for a terminal (CJK characters count double). `pins`
    overrides what the PIN column says per staff number."""
    pins = pins or {}
    rows = [("staff no", "name", "roles", "PIN")]
    rows += [(no, name, ", ".join(roles), pins.get(no, pin))
             for no, name, roles, pin in demo_data.STAFF]
    widths = [max(_width(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(r, widths, strict=True)).rstrip()
             for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


@showroom_cli.command("seed-demo")
@click.option("--if-empty", is_flag=True,
              help="Do nothing (and succeed) when the database already has staff or products.")
@click.option("--products", "product_count", default=600, show_default=True,
              type=click.IntRange(1, 9999), help="How many demo products.")
@click.option("--seed", "seed", default=DEFAULT_SEED, show_default=True,
              help="Random seed: the same seed gives the same demo data.")
def seed_demo_command(if_empty: bool, product_count: int, seed: int) -> None:
    """Fill an EMPTY database with demo staff, areas, products, stock and customers."""
    if current_app.config["SHOWROOM_ENV"] == "production":
        raise click.ClickException("seed-demo makes demo staff with well-known PINs: it never "
                                   "runs when SHOWROOM_ENV=production (add real staff with "
                                   "`flask staff add`)")
    started = time.perf_counter()
    try:
        empty, staff_count, products = database_is_empty()
    except SQLAlchemyError as exc:
        db.session.rollback()
        raise click.ClickException("cannot read the database (are its tables created? run "
                                   "`flask db upgrade` first)") from exc
    if not empty:
        db.session.rollback()
        message = (f"the database is not empty ({staff_count} staff, {products} products): "
                   "nothing seeded")
        if if_empty:
            click.echo(message)
            return
        raise click.ClickException(message + " (seed-demo only fills an empty database)")
    from showroom.printjobs.printers import spool_folder

    rng = random.Random(seed)  # noqa: S311 - repeatable demo data, not a secret
    try:
        staff = seed_staff()
        seed_areas(staff)
        manager_id = staff["1008"].id
        made, stocked = seed_products(rng, product_count, manager_id)
        customers, debts, credits = seed_customers(rng, 50, staff["1005"].id)
        spools = seed_printers(spool_folder())  # the one folder file:// printers may use
        seed_rates(manager_id)
        to_pack, to_ship = seed_bench_orders(rng, staff)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(f"seeding failed, nothing written: {exc.message} "
                                   f"{exc.errors or ''}") from exc
    except Exception:
        db.session.rollback()
        raise
    click.echo(f"seeded {len(staff)} staff, {len(demo_data.AREAS)} areas, {made} products "
               f"({stocked} in stock, {made - stocked} at 0), {customers} customers "
               f"({debts} with debts, {credits} with credits) "
               f"in {time.perf_counter() - started:.1f} s")
    click.echo(f"{to_pack} settled orders wait at the packing bench, {to_ship} packed order "
               "waits for its carrier")
    click.echo(f"demo printers write each job to a folder per station under {spools} "
               "(replace them with `flask printers add` for real printers)")
    click.echo("the demo logins: `flask showroom demo-logins` (make run prints them next)")


@showroom_cli.command("demo-logins")
def demo_logins_command() -> None:
    """Print the demo staff logins still present in this database."""
    present = {s.staff_no: s for s in db.session.scalars(
        select(Staff).where(Staff.staff_no.in_([row[0] for row in demo_data.STAFF])))}
    db.session.rollback()
    if not present:
        click.echo("no demo staff in this database (seed them with `flask showroom seed-demo`)")
        return
    pins: dict[str, str] = {}
    for no, _name, _roles, pin in demo_data.STAFF:
        staff = present.get(no)
        if staff is None:
            pins[no] = "(not in this database)"
        elif not staff.active:
            pins[no] = "(disabled)"
        elif not _pin_matches(staff.pin_hash, pin):
            pins[no] = "(PIN changed)"
    click.echo("Demo logins (demo PINs are weak on purpose: change them before real use):")
    for line in logins_table(pins):
        click.echo("  " + line)


def _pin_matches(pin_hash: str, pin: str) -> bool:
    try:
        return PasswordHasher().verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False
