"""Chinese is the floor's language: the zh_CN catalog is complete (no untranslated or fuzzy
entries, placeholders kept), screens are Chinese by default and English with ?lang=en,
domain-error flashes and code labels follow the screen's language, the API stays English
unless asked otherwise."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import factories
import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale

from showroom.errors import Conflict
from showroom.extensions import db
from showroom.labels import LABELS, label
from showroom.money import MoneyError, parse_fen
from showroom.picking import services as picking

TRANSLATIONS = Path(__file__).resolve().parents[2] / "showroom" / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")


def _catalog(lang: str) -> Any:
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=lang)


@dataclass
class Entry:
    """One message; a plural entry is read as its plural source and its one Chinese form."""

    id: str
    string: str
    fuzzy: bool


def _messages(lang: str) -> list[Any]:
    out = []
    for m in _catalog(lang):
        if not m.id:
            continue
        if isinstance(m.id, tuple):
            out.append(Entry(m.id[1], "".join(s for s in m.string if s) if lang == "en"
                             else (m.string[0] if all(m.string) else ""), m.fuzzy))
        else:
            out.append(Entry(m.id, m.string, m.fuzzy))
    return out


def test_zh_catalog_is_complete_and_not_fuzzy() -> None:
    messages = _messages("zh_CN")
    assert len(messages) > 400
    untranslated = [m.id for m in messages if not m.string]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert not untranslated, untranslated[:20]
    assert not fuzzy, fuzzy[:20]
    assert not _catalog("zh_CN").fuzzy  # nor the header


def test_zh_catalog_keeps_every_placeholder() -> None:
    wrong = [(m.id, m.string) for m in _messages("zh_CN")
             if sorted(PLACEHOLDER.findall(m.id)) != sorted(PLACEHOLDER.findall(m.string))]
    assert not wrong, wrong[:10]


def test_zh_catalog_covers_the_template() -> None:
    with (TRANSLATIONS / "messages.pot").open("rb") as f:
        template = {m.id[1] if isinstance(m.id, tuple) else m.id for m in read_po(f) if m.id}
    assert template <= {m.id for m in _messages("zh_CN")}


def test_zh_catalog_is_really_chinese() -> None:
    """Every entry but codes and formats has Han characters (nothing pasted back in English)."""
    han = re.compile(r"[\u4e00-\u9fff]")
    english = [m.id for m in _messages("zh_CN") if not han.search(m.string)
               and re.search(r"[a-z]{3,}", PLACEHOLDER.sub("", m.string))
               and "Idempotency" not in m.string and "JSON" not in m.string]
    assert not english, english[:10]


def test_en_catalog_leaves_msgstr_empty() -> None:
    assert all(not m.string for m in _messages("en"))


def test_every_label_is_in_the_catalog() -> None:
    ids = {m.id for m in _messages("zh_CN")}
    for group in LABELS.values():
        for text in group.values():
            assert text._args[0] in ids


# --- screens -----------------------------------------------------------------------------

def test_login_is_chinese_by_default_and_english_on_request(client: Any) -> None:
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page
    assert "登录" in page and "工号" in page and "密码" in page and "Sign in" not in page
    page = client.get("/login?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Sign in" in page and "Staff number" in page and "登录" not in page
    # the choice is remembered for this tablet
    assert "Sign in" in client.get("/login").get_data(as_text=True)
    assert "登录" in client.get("/login?lang=zh_CN").get_data(as_text=True)


def test_wrong_pin_flash_is_chinese(client: Any, make_staff: Any) -> None:
    staff = make_staff("clerk")
    resp = client.post("/login", data={"staff_no": staff["staff_no"], "pin": "999999"})
    assert resp.status_code == 401
    assert "工号或密码错误。" in resp.get_data(as_text=True)


def test_top_bar_and_board_are_chinese(client: Any, login_as: Any, app: Any) -> None:
    login_as("reception")
    with app.app_context():
        from showroom.reception import services as reception

        reception.start_visit(factories.customer(name="赵六", kind="franchise").id)
        db.session.commit()
    page = client.get("/reception/").get_data(as_text=True)
    for text in ("前台接待", "客户", "打印任务", "切换员工", "今日来访", "新来访", "等候接待",
                 "加盟", "接待"):
        assert text in page, text
    page = client.get("/reception/?lang=en").get_data(as_text=True)
    for text in ("Reception", "Switch user", "Visitors today", "Waiting", "Franchise"):
        assert text in page, text


@pytest.fixture
def wish_id(app: Any) -> int:
    with app.app_context():
        customer = factories.customer()
        product = factories.product(stock=3)
        wish = picking.record_wish(customer.id, product_code=product.code)
        db.session.commit()
        return int(wish.id)


def test_domain_error_flash_follows_the_screen_language(client: Any, login_as: Any,
                                                         wish_id: int) -> None:
    login_as("clerk")
    assert client.post(f"/picking/wishes/{wish_id}/notified").status_code == 302
    page = client.get("/picking/tasks").get_data(as_text=True)
    assert "已记录：客户已通知。" in page
    client.post(f"/picking/wishes/{wish_id}/notified")
    page = client.get("/picking/tasks").get_data(as_text=True)
    assert "这位客户已经通知过了" in page  # the service's Conflict message, translated
    client.get("/picking/tasks?lang=en")
    client.post(f"/picking/wishes/{wish_id}/notified")
    page = client.get("/picking/tasks").get_data(as_text=True)
    assert "this customer was already notified" in page


def test_service_messages_in_each_language(app: Any, wish_id: int) -> None:
    with app.test_request_context("/"):
        picking.mark_notified(wish_id, None)
        with force_locale("zh_CN"), pytest.raises(Conflict) as zh:
            picking.mark_notified(wish_id, None)
        with force_locale("en"), pytest.raises(Conflict) as en:
            picking.mark_notified(wish_id, None)
        db.session.rollback()
    assert zh.value.message == "这位客户已经通知过了"
    assert en.value.message == "this customer was already notified"


def test_money_errors_are_translated_and_english_outside_the_app(app: Any) -> None:
    with pytest.raises(MoneyError, match="at most two decimals"):
        parse_fen("1.234")
    with app.test_request_context("/"), force_locale("zh_CN"):
        with pytest.raises(MoneyError, match="金额格式如 1234.50"):
            parse_fen("1.234")


def test_labels_and_the_label_filter(app: Any) -> None:
    with app.test_request_context("/"), force_locale("zh_CN"):
        assert label("on_account", "payment") == "挂账"
        assert label("franchise", "customer_kind") == "加盟"
        assert label("awaiting_settlement", "order") == "待结算"
        assert label("no_such_code", "payment") == "no_such_code"
        assert label(None, "payment") == ""
        rendered = app.jinja_env.from_string("{{ 'needs_attention'|label('job_status') }}")
        assert rendered.render() == "需处理"
    with app.test_request_context("/"), force_locale("en"):
        assert label("on_account", "payment") == "On account"


def test_api_stays_english_unless_asked(client: Any, make_staff: Any) -> None:
    staff = make_staff("clerk")
    body = {"staff_no": staff["staff_no"], "pin": "000000"}
    en = client.post("/api/v1/auth/token", json=body).get_json()
    zh = client.post("/api/v1/auth/token", json=body,
                     headers={"Accept-Language": "zh-CN,zh;q=0.9"}).get_json()
    assert en["title"] == "Sign-in failed" and en["detail"] == "wrong staff number or PIN"
    assert zh["title"] == "登录失败" and zh["detail"] == "工号或密码错误"
