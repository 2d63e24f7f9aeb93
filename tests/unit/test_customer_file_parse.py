"""The customer file's parser, as a property: whatever is typed for a birthday, level,
gender or interests, `clean_file_fields` answers with clean values or a ValidationFailed
naming the field — never another exception; a date it accepts reads back as typed."""
from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from flask_babel import Babel
from hypothesis import given, settings
from hypothesis import strategies as st

from showroom.customers.file import NO_YEAR, Gender, Level, clean_file_fields, parse_birthday
from showroom.errors import ValidationFailed

APP = Flask(__name__)
Babel(APP)


@settings(max_examples=300, deadline=None)
@given(birthday=st.one_of(st.text(max_size=14), st.from_regex(r"\A(\d{4}-)?\d{1,2}-\d{1,2}\Z")),
       lunar=st.booleans(), level=st.text(max_size=2), gender=st.text(max_size=2),
       interests=st.text(max_size=40))
def test_answers_or_refuses_by_field(birthday: str, lunar: bool, level: str, gender: str,
                                     interests: str) -> None:
    raw = {"birthday": birthday, "birthday_lunar": lunar, "level": level, "gender": gender,
           "interests": interests}
    with APP.test_request_context():
        try:
            out = clean_file_fields(raw)
        except ValidationFailed as exc:
            assert set(exc.errors) <= {"birthday", "level", "gender", "interests"}
            assert exc.errors
            return
    assert out["level"] in Level.codes() and out["gender"] in Gender.codes()
    b = out["birthday"]
    assert b is None or isinstance(b, date)
    if isinstance(b, date) and lunar:
        assert 1 <= b.month <= 12 and 1 <= b.day <= 30


@pytest.mark.parametrize("typed,lunar,expected", [
    ("1980-08-15", False, date(1980, 8, 15)), ("08-15", True, date(NO_YEAR, 8, 15)),
    ("２-２９", False, date(NO_YEAR, 2, 29)), ("", False, None)])
def test_dates_as_typed(typed: str, lunar: bool, expected: date | None) -> None:
    with APP.test_request_context():
        errors: dict[str, str] = {}
        assert parse_birthday(typed, lunar, errors) == expected and not errors
