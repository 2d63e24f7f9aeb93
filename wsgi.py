"""WSGI entry point: `gunicorn wsgi:app` or `flask --app wsgi run`."""
import gc

from showroom import create_app

app = create_app()
# Everything built at start-up lives as long as the process: keep it out of the garbage
# collector's full passes, which otherwise take ~100 ms on a 2-core box (make bench).
gc.freeze()
