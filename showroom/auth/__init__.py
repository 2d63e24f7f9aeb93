"""Staff sign-in, fast user switch and role checks."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from showroom.auth import views  # noqa: E402,F401
