"""Printing: rendering a 300-line Chinese sales slip, its size in text vs image mode,
the three-copy PDF, and settling with the cashier's printer down vs up.

Rendering is timed in-process (printing/ has no database). The settle comparison runs a
real `flask print-worker` process beside the benchmark against a fake 127.0.0.1 printer
that is switched up and down between repetitions (a, b, a, b …), so a load change on the
machine hits both alike; settling only writes job rows, so the two should not differ
beyond noise.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bench_settle import LINES as SETTLE_LINES
from bench_settle import WARMUP as SETTLE_WARMUP
from bench_settle import _service as settle_once
from harness import Case, Ratio, Result, measure, measure_cases
from world import World

from printing.escpos_render import render_escpos
from printing.pdf import render_pdf
from printing.profiles import PrinterProfile
from printing.samples import sample_sales_slip
from showroom.config import REPO_ROOT
from showroom.extensions import db
from showroom.printjobs.models import Printer

sys.path.insert(0, str(REPO_ROOT / "tests"))
from fake_printer import FakePrinter  # noqa: E402

SLIP_LINES = 300
ESCPOS_TARGET_MS = 30.0
PDF_TARGET_MS = 300.0
SIZE_LIMIT = 1 / 20


def run_render(reps: int) -> tuple[list[Result], list[str], bool]:
    """Render timings, plus printed lines about sizes and whether the size target holds."""
    slip = sample_sales_slip(SLIP_LINES)
    results = []
    for mode in ("gb18030", "utf8"):
        profile = PrinterProfile(paper_mm=80, chinese=mode)
        result = Result(f"ESC/POS {SLIP_LINES}-line slip x3 ({mode})", "render", target_p95=ESCPOS_TARGET_MS)
        results.append(measure(result, reps, lambda i: None, lambda _, p=profile: render_escpos(slip, p),
                               warmup=3))
    image = PrinterProfile(paper_mm=80, chinese="image")
    results.append(measure(Result(f"ESC/POS {SLIP_LINES}-line slip x3 (image)", "render"),
                           max(5, reps // 10), lambda i: None, lambda _: render_escpos(slip, image),
                           warmup=1))
    pdf = Result(f"PDF {SLIP_LINES}-line slip x3 (A5)", "render", target_p95=PDF_TARGET_MS)
    results.append(measure(pdf, max(5, reps // 4), lambda i: None, lambda _: render_pdf(slip, page="A5"),
                           warmup=2))
    text_size = len(render_escpos(slip, PrinterProfile(chinese="gb18030")))
    image_size = len(render_escpos(slip, image))
    passed = text_size <= image_size * SIZE_LIMIT
    lines = [f"ESC/POS size of the {SLIP_LINES}-line slip x3: text (gb18030) {text_size / 1024:,.0f} KiB, "
             f"image {image_size / 1024:,.0f} KiB = 1/{image_size / text_size:.0f} "
             f"(target <= 1/{1 / SIZE_LIMIT:.0f}): {'PASS' if passed else 'MISS'}"]
    return results, lines, passed


def run_settle_with_printer(world: World, reps: int) -> tuple[list[Result], list[Ratio]]:
    """Settle p95 with the cashier's printer answering vs refusing, a print worker running."""
    fake = FakePrinter("ok")
    with world.ctx():
        db.session.add(Printer(name="bench-cashier", connection=fake.uri, station="cashier-1",
                               paper_mm=80, chinese="gb18030", documents="", cutter=True,
                               drawer=True, enabled=True, status_reply=""))
        db.session.commit()
        url = str(db.engine.url)
    env = dict(os.environ, DATABASE_URL=url, SHOWROOM_SECRET_KEY="bench", SHOWROOM_PRINT_TIMEOUT="5",
               SHOWROOM_PRINT_BACKOFF="0.5,1,2",
               SHOWROOM_PRINTER_PORTS="9100-9109,1024-65535")  # the fake printer's random port
    flask = str(Path(sys.executable).with_name("flask"))
    worker = subprocess.Popen([flask, "--app", "wsgi", "print-worker", "--poll", "0.2"], cwd=REPO_ROOT,  # noqa: S603
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        up = Result(f"settle {SETTLE_LINES} lines, printer up", "service")
        down = Result(f"settle {SETTLE_LINES} lines, printer down", "service")
        total = reps + SETTLE_WARMUP
        orders = {id(up): [world.submitted_order(SETTLE_LINES) for _ in range(total)],
                  id(down): [world.submitted_order(SETTLE_LINES) for _ in range(total)]}

        def prepare(result: Result, state: str):  # type: ignore[no-untyped-def]
            def prep(i: int) -> tuple[int, int, int]:
                fake.up("ok") if state == "up" else fake.down()
                return (i, *orders[id(result)][i])
            return prep

        with world.app.app_context():
            measure_cases([Case(up, prepare(up, "up"), lambda p: settle_once(world, *p)),
                           Case(down, prepare(down, "down"), lambda p: settle_once(world, *p))],
                          reps, warmup=SETTLE_WARMUP)
            db.session.remove()
    finally:
        worker.terminate()
        worker.wait(30)
        fake.close()
    return [up, down], [Ratio("settle: printer down / up", "service", down, up, 1.25)]
