"""The base of every screen form: the one text rule (`showroom.text_rule`) on every field
that carries text, so screens refuse what the API refuses.

A refused character is a field error like any other: `validate()` is False, the view
re-renders the form with its status (nothing is written), the field shows the message,
and so does a flash at the top of the page (hidden fields and forms whose template shows
no field errors included). Multi-line fields (TextAreaField) may hold tabs and line breaks.

WTForms' own messages ("This field is required.") come from its catalog, loaded once per
locale and kept: Flask-WTF would read the .mo file from disk again on every request that
builds a form (about 1 ms of a scan's answer).
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

from babel import support
from flask import current_app, flash, has_request_context
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms import Field, FieldList, FormField, TextAreaField
from wtforms.i18n import messages_path

from showroom import text_rule


@lru_cache(maxsize=8)
def _wtforms_catalog(locale: str) -> Any:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class _Translations:
    """WTForms' catalog for the request's locale, as Flask-WTF's, without the reload."""

    def gettext(self, string: str) -> str:
        return str(_catalog().ugettext(string))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return str(_catalog().ungettext(singular, plural, n))


def _catalog() -> Any:
    return _wtforms_catalog(str(get_locale()))


_TRANSLATIONS = _Translations()


class Form(FlaskForm):
    class Meta(FlaskForm.Meta):
        def get_translations(self, form: Any) -> Any:
            if not has_request_context() or "babel" not in current_app.extensions \
                    or not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return _TRANSLATIONS

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        valid = super().validate(extra_validators)
        return self.apply_text_rule() and valid

    def apply_text_rule(self) -> bool:
        """Add the text rule's message to every field whose text breaks it; True if none."""
        first: tuple[Field, str] | None = None
        for field in text_fields(self):
            refused = text_rule.check(field.data, multiline=isinstance(field, TextAreaField))
            if refused is None:
                continue
            field.errors = [refused, *(e for e in field.errors if e != refused)]
            first = first or (field, refused)
        if first is None:
            return True
        self._errors = None  # the cached summary of errors is stale now
        if has_request_context():
            field, refused = first
            label = field.label.text if field.label and field.label.text else field.name
            flash(f"{label}: {refused}", "error")
        return False


def text_fields(form: Any) -> Iterator[Field]:
    """Every field of `form` (nested forms and lists included) whose data is text."""
    for field in form:
        if isinstance(field, FormField):
            yield from text_fields(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                if isinstance(entry, FormField):
                    yield from text_fields(entry.form)
                elif isinstance(entry.data, str):
                    yield entry
        elif isinstance(field.data, str):
            yield field
