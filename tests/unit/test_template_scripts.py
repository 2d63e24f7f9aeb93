"""Data never becomes script (issue 9): no template marks data `|safe`, and whatever a
template writes inside a <script> element goes through `|tojson` (which escapes <, >, &
and quotes), so a customer's region or a rate's destination cannot close the script."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = sorted((Path(__file__).resolve().parents[2] / "templates").rglob("*.html"))
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
EXPRESSION = re.compile(r"{{(.*?)}}", re.S)


def test_there_are_templates():
    assert len(TEMPLATES) > 40


@pytest.mark.parametrize("path", TEMPLATES, ids=[p.name for p in TEMPLATES])
def test_no_template_marks_data_safe(path: Path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"\|\s*safe\b", text), f"{path}: |safe writes data unescaped"
    assert "Markup(" not in text and "autoescape false" not in text


@pytest.mark.parametrize("path", TEMPLATES, ids=[p.name for p in TEMPLATES])
def test_data_inside_scripts_goes_through_tojson(path: Path):
    for _attrs, body in SCRIPT.findall(path.read_text(encoding="utf-8")):
        for expression in EXPRESSION.findall(body):
            assert re.search(r"\|\s*tojson\s*$", expression.strip()), (
                f"{path}: {{{{{expression}}}}} inside <script> without |tojson")
        assert "{%" not in body or "tojson" in body, path
