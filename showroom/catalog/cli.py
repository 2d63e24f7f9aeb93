"""`flask catalog import FILE.csv` (being built)."""
from flask.cli import AppGroup

catalog_cli = AppGroup("catalog", help="Products and stock.")
