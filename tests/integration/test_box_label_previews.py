"""Box label previews carry the full phone (the carrier must call): only packing,
shipping, reception, the cashier and managers may open them, on screen and by API."""
from __future__ import annotations

import pytest

from printing.documents import to_payload
from printing.samples import sample
from showroom.extensions import db
from showroom.printjobs.services import queue_job

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def label_job(app) -> int:
    with app.app_context():
        job = queue_job("box_label", to_payload(sample("box_label")), station="pack-1")
        db.session.commit()
        return job.id


@pytest.mark.parametrize("role", ["clerk"])
def test_roles_without_boxes_or_phones_get_403(client, login_as, label_job, role):
    login_as(role)
    for url in (f"/print-jobs/{label_job}/preview.png", f"/print-jobs/{label_job}/preview.pdf",
                f"/print-jobs/{label_job}"):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", ["packer", "shipper", "reception", "cashier", "manager"])
def test_box_handlers_and_phone_roles_see_the_label(client, login_as, label_job, role):
    login_as(role)
    png = client.get(f"/print-jobs/{label_job}/preview.png")
    assert png.status_code == 200 and png.data.startswith(PNG)
    assert client.get(f"/print-jobs/{label_job}/preview.pdf").data.startswith(b"%PDF-")


def test_api_box_label_preview_rule(client, api_headers, label_job):
    url = f"/api/v1/print-jobs/{label_job}/preview.png"
    refused = client.get(url, headers=api_headers("clerk"))
    assert refused.status_code == 403 and refused.mimetype == "application/problem+json"
    assert "phone" in refused.get_json()["detail"]
    assert client.get(url, headers=api_headers("packer")).status_code == 200
