"""Staff sign-in, fast user switch, role checks, PINs and keeping staff."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from showroom.auth import staff_views, views  # noqa: E402,F401
