"""Showroom: a wholesale showroom from the door to the truck. Application factory only."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter

from showroom.config import REPO_ROOT, load_config


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=os.environ.get("SHOWROOM_INSTANCE", str(REPO_ROOT / "instance")),
        template_folder=str(REPO_ROOT / "templates"),
        static_folder=str(REPO_ROOT / "static"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["wideint"] = IntegerConverter  # the API answers out-of-range ids itself
    app.config.from_mapping(load_config(config, app.instance_path))
    register_extensions(app)
    register_models()
    register_blueprints(app)
    register_request_hooks(app)
    register_errorhandlers(app)
    register_security(app)
    register_template_helpers(app)
    register_commands(app)
    return app


class IdConverter(IntegerConverter):
    """`<int:…>` in every route stops at the database's integer range, so an id like
    99999999999999999999 is a plain 404 instead of an overflow deep in a query."""

    def __init__(self, map: Any, fixed_digits: int = 0, min: int | None = None,  # noqa: A002
                 max: int | None = None, signed: bool = False) -> None:
        from showroom.validation import MAX_ID

        super().__init__(map, fixed_digits=fixed_digits, min=min,
                         max=MAX_ID if max is None else max, signed=signed)


def register_extensions(app: Flask) -> None:
    from showroom.extensions import babel, csrf, db, login_manager, migrate
    from showroom.i18n import install_template_gettext, select_parsed_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"),
                     render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_parsed_locale)
    install_template_gettext(app)


def register_models() -> None:
    """Import every feature's models so metadata (and Alembic) sees all tables, and the
    session hooks that keep derived rows current (name bigrams, kept service-level weeks)."""
    from showroom import models  # noqa: F401
    from showroom.catalog import search  # noqa: F401
    from showroom.service_levels import kept  # noqa: F401


def register_blueprints(app: Flask) -> None:
    from showroom.aftersales.blueprint import bp as aftersales_bp
    from showroom.api import bp as api_bp
    from showroom.api.printjobs import files as api_files_bp
    from showroom.attachments.blueprint import bp as attachments_bp
    from showroom.auth.blueprint import bp as auth_bp
    from showroom.catalog.blueprint import bp as catalog_bp
    from showroom.complaints.blueprint import bp as complaints_bp
    from showroom.consignment.blueprint import bp as consignment_bp
    from showroom.customers.blueprint import bp as customers_bp
    from showroom.extensions import csrf
    from showroom.followups.blueprint import bp as followups_bp
    from showroom.inbox.blueprint import bp as inbox_bp
    from showroom.money_desk.blueprint import bp as money_desk_bp
    from showroom.money_desk.shift_blueprint import bp as shifts_bp
    from showroom.packing.blueprint import bp as packing_bp
    from showroom.picking.blueprint import bp as picking_bp
    from showroom.printjobs.blueprint import bp as printjobs_bp
    from showroom.reception.blueprint import bp as reception_bp
    from showroom.relations.blueprint import bp as relations_bp
    from showroom.repairs.blueprint import bp as repairs_bp
    from showroom.reports.blueprint import bp as reports_bp
    from showroom.settlement.blueprint import bp as settlement_bp
    from showroom.shipping.blueprint import bp as shipping_bp

    for bp in (auth_bp, catalog_bp, customers_bp, reception_bp, picking_bp,
               settlement_bp, money_desk_bp, printjobs_bp, packing_bp, shipping_bp, shifts_bp,
               reports_bp, aftersales_bp, repairs_bp, followups_bp, attachments_bp,
               consignment_bp, complaints_bp, inbox_bp):
        app.register_blueprint(bp)
    from showroom.consignment.money_blueprint import bp as consignor_money_bp

    app.register_blueprint(consignor_money_bp)
    app.register_blueprint(relations_bp)
    from showroom.appointments.blueprint import bp as appointments_bp

    app.register_blueprint(appointments_bp)
    from showroom.service_levels.blueprint import bp as service_levels_bp

    app.register_blueprint(service_levels_bp)
    from showroom.repairs.intake import MAX_PHOTOS
    from showroom.security import allow_body

    photo = 5 * 1024 * 1024 + 256 * 1024  # one photo at its limit, and the form around it
    allow_body("repairs.take", MAX_PHOTOS * photo)
    allow_body("repairs.add_photos", MAX_PHOTOS * photo)
    allow_body("consignment.returned_signature", photo)  # a photo of the signed paper
    csrf.exempt(api_bp)
    from showroom.remote.blueprint import bp as remote_bp  # remote orders (issue 14)

    app.register_blueprint(remote_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(api_files_bp)  # job previews as PNG / PDF (not JSON routes)
    from showroom.manager.blueprint import bp as manager_bp

    app.register_blueprint(manager_bp)


def register_request_hooks(app: Flask) -> None:
    from showroom.auth.session import register_session_hooks
    from showroom.web import register_transaction_hooks

    register_transaction_hooks(app)
    register_session_hooks(app)


def register_errorhandlers(app: Flask) -> None:
    from showroom.web import register_error_pages

    register_error_pages(app)


def register_security(app: Flask) -> None:
    from showroom.security import register_security as _register

    _register(app)


def register_template_helpers(app: Flask) -> None:
    from showroom.web import register_filters

    register_filters(app)


def register_commands(app: Flask) -> None:
    from showroom.cli import register_cli

    register_cli(app)
