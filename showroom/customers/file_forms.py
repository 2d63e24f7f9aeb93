"""Forms of the customer file (member, gender, birthday, interests, level, owner clerk)
and its contacts. The rules live in customers.file; the forms carry the text (through the
one text rule of the base Form) and show the service's field problems."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from showroom.customers.file import CONTACT_LIMITS, INTERESTS_MAX, Gender, Level
from showroom.forms import Form


class FileForm(Form):
    member = BooleanField(_l("Member"))
    gender = SelectField(_l("Gender"), validate_choice=False,
                         choices=[SelectChoice(g.value, g.lazy_label) for g in Gender])
    birthday = StringField(_l("Birthday"), validators=[Optional(), Length(max=10)])
    birthday_lunar = BooleanField(_l("Lunar calendar (农历)"))
    interests = TextAreaField(_l("Interests"), validators=[Optional(),
                                                           Length(max=INTERESTS_MAX)])
    level = SelectField(_l("Relationship level"), validate_choice=False,
                        choices=[SelectChoice(v.value, v.lazy_label) for v in Level])
    owner_staff_no = SelectField(_l("Owner clerk"), validate_choice=False, choices=[])

    def values(self) -> dict[str, object]:
        return {"member": bool(self.member.data), "gender": self.gender.data or "",
                "birthday": self.birthday.data or "",
                "birthday_lunar": bool(self.birthday_lunar.data),
                "interests": self.interests.data or "", "level": self.level.data or "",
                "owner_staff_no": self.owner_staff_no.data or ""}


class ContactForm(Form):
    name = StringField(_l("Name"), validators=[Optional(), Length(max=CONTACT_LIMITS["name"])])
    phone = StringField(_l("Phone"), validators=[Optional(),
                                                 Length(max=CONTACT_LIMITS["phone"])])
    wechat = StringField(_l("WeChat"), validators=[Optional(),
                                                   Length(max=CONTACT_LIMITS["wechat"])])
    role = StringField(_l("Role (e.g. shop assistant)"),
                       validators=[Optional(), Length(max=CONTACT_LIMITS["role"])])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=CONTACT_LIMITS["note"])])

    def values(self) -> dict[str, object]:
        return {f: getattr(self, f).data or "" for f in CONTACT_LIMITS}


class ButtonForm(Form):
    """A button-only action (remove a contact): CSRF and nothing else."""
