"""`flask print-worker [--once]`: deliver queued print jobs until stopped (Ctrl-C, SIGTERM)."""
from __future__ import annotations

import signal
import threading
from types import FrameType

import click
from flask import current_app
from flask.cli import with_appcontext

from showroom.printjobs.worker import WorkerBusy, run_worker


@click.command("print-worker")
@click.option("--once", is_flag=True, help="Deliver what is due, then exit.")
@click.option("--poll", default=1.0, show_default=True, help="Seconds between looks at an idle queue.")
@with_appcontext
def print_worker(once: bool, poll: float) -> None:
    """Deliver queued print jobs to the printers."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
    if not once:
        click.echo("print worker: delivering queued jobs (Ctrl-C stops)")
    try:
        delivered = run_worker(app, once=once, poll=poll, stop=stop)
    except WorkerBusy as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"print worker: {delivered} job(s) delivered")
