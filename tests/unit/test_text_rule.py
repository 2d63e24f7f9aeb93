"""The one text rule (showroom.text_rule) and its users: services' clean_text, screen
forms (showroom.forms.Form), the API's Line / Para types."""
from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from showroom import text_rule
from showroom.validation import clean_text

REFUSED = {
    "\x00": "control", "\x1b": "control", "\x07": "control", "\x7f": "control",
    "\x85": "control", "\u2028": "control", "\u202e": "bidi", "\u202a": "bidi",
    "\u2066": "bidi", "\u2069": "bidi", "\u200e": "bidi", "\u200f": "bidi", "\u061c": "bidi",
    "\u200b": "zero-width", "\u200c": "zero-width", "\u200d": "zero-width",
    "\u2060": "zero-width", "\ufeff": "zero-width", "\ud800": "surrogate", chr(0xDFFF): "surrogate",
}
FINE = ["王丽华", "Wang Li", "银饰　批发", "a\u00a0b", "１００", "¥12.50", "😀", "Ünïcødé", "#5-2 (A)"]


@pytest.mark.parametrize("ch,kind", list(REFUSED.items()))
def test_refused_characters_are_named(ch, kind):
    found = text_rule.problem(f"ab{ch}c")
    assert found == text_rule.TextProblem(kind, ch, 3)
    assert f"U+{ord(ch):04X}" in text_rule.message(found)


@pytest.mark.parametrize("text", FINE)
def test_what_people_type_is_fine(text):
    assert text_rule.problem(text) is None


def test_tabs_and_line_breaks_only_in_multi_line_fields():
    assert text_rule.problem("a\nb\tc\r\n", multiline=True) is None
    assert text_rule.problem("a\nb").kind == "control"
    assert text_rule.problem("a\x00\nb", multiline=True).kind == "control"


def test_clean_text_applies_the_rule(app):
    with app.test_request_context("/"):
        errors: dict[str, str] = {}
        assert clean_text("王\u202e丽", "name", errors, 60) == "王\u202e丽"
        assert "U+202E" in errors["name"]
        errors.clear()
        clean_text("line one\nline two", "note", errors, 60, multiline=True)
        assert errors == {}


def test_messages_are_translated(app):
    with app.test_request_context("/"):
        message = text_rule.check("a\x00")
    assert "控制字符" in message and "U+0000, NUL" in message


def test_api_types_use_the_same_rule():
    from showroom.api.types import Line, Para

    class Body(BaseModel):
        line: Line = ""
        para: Para = ""

    for ch in REFUSED:
        with pytest.raises(ValidationError) as caught:
            Body(line=f"x{ch}")
        assert caught.value.errors()[0]["type"] == "text_chars"
    assert Body(line="银饰　批发", para="一\n二").line == "银饰　批发"


def test_screen_forms_apply_it_to_every_text_field(app):
    from werkzeug.datastructures import MultiDict
    from wtforms import HiddenField, PasswordField, SelectField, StringField, TextAreaField

    from showroom.forms import Form

    class Sample(Form):
        class Meta:
            csrf = False

        name = StringField()
        note = TextAreaField()
        pin = PasswordField()
        token = HiddenField()
        kind = SelectField(choices=["a"], validate_choice=False)

    with app.test_request_context("/", method="POST"):
        form = Sample(MultiDict({"name": "a\u200bb", "note": "one\ntwo", "pin": "12\x0034",
                                 "token": "\x1b", "kind": "\u202e"}))
        assert not form.validate()
        assert set(form.errors) == {"name", "pin", "token", "kind"}
        assert "U+200B" in form.errors["name"][0]
        ok = Sample(MultiDict({"name": "王丽", "note": "一\r\n二", "pin": "1234", "token": "t",
                               "kind": "a"}))
        assert ok.validate()
