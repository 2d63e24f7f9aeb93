"""CLI groups per domain: `flask staff add`, `flask catalog import`, `flask showroom seed-demo`,
`flask showroom backup|restore|check`."""
from __future__ import annotations

from flask import Flask


def register_cli(app: Flask) -> None:
    from showroom.auth.cli import staff_cli
    from showroom.catalog.cli import catalog_cli
    from showroom.ops.cli import COMMANDS as ops_commands
    from showroom.printjobs.printers_cli import printers_cli
    from showroom.printjobs.worker_cli import print_worker
    from showroom.seed import showroom_cli

    app.cli.add_command(staff_cli)
    app.cli.add_command(catalog_cli)
    for command in ops_commands:
        showroom_cli.add_command(command)
    app.cli.add_command(showroom_cli)
    app.cli.add_command(print_worker)
    app.cli.add_command(printers_cli)
