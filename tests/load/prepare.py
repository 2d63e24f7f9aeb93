"""Run by tests/load/run.py inside a backend's environment (DATABASE_URL or
SHOWROOM_INSTANCE set), after `flask db upgrade` and `flask showroom seed-demo`:

    python tests/load/prepare.py PLAN.json OUT.json

adds the load test's staff (one per tablet, plus the manager that seeds the floor) with
the app's own PIN hashing - the production argon2 parameters of showroom/config.py unless
the environment overrides them - and writes the products and the hash parameters to
OUT.json. Everything else is seeded through the JSON API, as a client would.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", "/tmp/showroom-escpos")

from sqlalchemy import select  # noqa: E402

from showroom import create_app  # noqa: E402
from showroom.auth.models import Staff  # noqa: E402
from showroom.auth.services import add_staff  # noqa: E402
from showroom.catalog.models import Product  # noqa: E402
from showroom.extensions import db  # noqa: E402


def main(plan_path: str, out_path: str) -> None:
    plan = json.loads(Path(plan_path).read_text(encoding="utf-8"))
    app = create_app()
    with app.app_context():
        for s in plan["staff"]:
            add_staff(s["staff_no"], s["name"], list(s["roles"]), s["pin"])
        db.session.commit()
        products = [{"code": code, "barcode": barcode, "on_hand": on_hand}
                    for code, barcode, on_hand in db.session.execute(
                        select(Product.code, Product.barcode, Product.on_hand)
                        .where(Product.barcode.is_not(None)).order_by(Product.id))]
        pin_hash = db.session.scalar(select(Staff.pin_hash).where(
            Staff.staff_no == plan["staff"][0]["staff_no"])) or ""
        out = {"products": products,
               "argon2": {"hash": pin_hash.rsplit("$", 2)[0],
                          "time_cost": app.config.get("SHOWROOM_ARGON2_TIME_COST"),
                          "memory_kib": app.config.get("SHOWROOM_ARGON2_MEMORY_KIB")},
               "database": app.config["SQLALCHEMY_DATABASE_URI"].split("://")[0]}
        db.session.rollback()
    Path(out_path).write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
