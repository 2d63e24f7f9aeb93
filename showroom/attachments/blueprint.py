"""The attachments' one URL: a photo by id, for staff who may see it."""
from flask import Blueprint

from showroom.attachments import views

bp = Blueprint("attachments", __name__, url_prefix="/attachments")

bp.add_url_rule("/<int:attachment_id>", view_func=views.photo)
