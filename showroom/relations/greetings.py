"""The occasions we greet customers on and the greeting to copy into WeChat for each — one
list with its labels (DESIGN.md "One name, one place"); English msgids, Chinese catalog."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

from showroom.codes import Code


class Occasion(Code):
    BIRTHDAY = "birthday", _l("Birthday")
    NEW_YEAR = "new_year", _l("New Year's Day (元旦)")
    SPRING_FESTIVAL = "spring_festival", _l("Spring Festival (春节)")
    LANTERN = "lantern", _l("Lantern Festival (元宵)")
    DRAGON_BOAT = "dragon_boat", _l("Dragon Boat Festival (端午)")
    MID_AUTUMN = "mid_autumn", _l("Mid-Autumn Festival (中秋)")
    NATIONAL_DAY = "national_day", _l("National Day (国庆)")


GREETINGS = {
    Occasion.BIRTHDAY: _l("Dear %(name)s, happy birthday! Wishing you good health, happiness "
                          "and a prosperous year ahead. — %(shop)s"),
    Occasion.NEW_YEAR: _l("Dear %(name)s, happy New Year! Thank you for your support over the "
                          "past year; may the new one bring you success. — %(shop)s"),
    Occasion.SPRING_FESTIVAL: _l("Dear %(name)s, happy Spring Festival! Wishing you and your "
                                 "family good health and a prosperous new year. — %(shop)s"),
    Occasion.LANTERN: _l("Dear %(name)s, happy Lantern Festival! May your family be together "
                         "and your year be bright. — %(shop)s"),
    Occasion.DRAGON_BOAT: _l("Dear %(name)s, happy Dragon Boat Festival! Wishing you health "
                             "and peace. — %(shop)s"),
    Occasion.MID_AUTUMN: _l("Dear %(name)s, happy Mid-Autumn Festival! May your family be "
                            "together under the full moon. — %(shop)s"),
    Occasion.NATIONAL_DAY: _l("Dear %(name)s, happy National Day! Enjoy the holiday, and "
                              "thank you for your support. — %(shop)s"),
}


def greeting(occasion: str, name: str) -> str:
    """The greeting for `occasion`, addressed to `name`, signed by the showroom."""
    shop = current_app.config.get("SHOWROOM_SHOP_NAME", "")
    return str(GREETINGS[Occasion(occasion)]) % {"name": name, "shop": shop}
