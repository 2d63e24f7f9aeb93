"""`flask showroom seed-demo` (being built)."""
from flask.cli import AppGroup

showroom_cli = AppGroup("showroom", help="Showroom set-up.")
