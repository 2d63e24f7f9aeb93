"""Product search: barcode, code prefix, and any part of a Chinese name via the bigram index."""
from __future__ import annotations

import factories

from showroom.catalog.search import bigrams
from showroom.catalog.services import search_products
from showroom.extensions import db


def test_bigrams():
    assert bigrams("银手链") == {"银手", "手链"}
    assert bigrams("链") == set()


def test_search_by_barcode_code_and_name_parts(ctx):
    a = factories.product(code="SL-0001", barcode="6901234567892", name="S925纯银蝴蝶手链")
    b = factories.product(code="XL-0002", name="泰银复古蝴蝶项链")
    factories.product(code="JZ-0003", name="镀金素圈戒指")
    db.session.commit()
    assert [p.id for p in search_products("6901234567892")] == [a.id]
    assert [p.id for p in search_products("sl-0001")] == [a.id]
    assert {p.id for p in search_products("XL")} == {b.id}
    assert {p.id for p in search_products("蝴蝶")} == {a.id, b.id}
    assert [p.id for p in search_products("蝴蝶项链")] == [b.id]
    assert [p.id for p in search_products("泰")] == [b.id]
    assert search_products("不存在的东西") == []
    assert search_products("%") == []


def test_renamed_product_is_found_by_its_new_name(ctx):
    p = factories.product(name="925银星星耳钉")
    db.session.commit()
    p.name = "925银月亮耳钉"
    db.session.commit()
    assert search_products("星星") == []
    assert [x.id for x in search_products("月亮")] == [p.id]


def test_imported_and_renamed_by_import_products_are_searchable(app, runner, tmp_path):
    csv = tmp_path / "p.csv"
    csv.write_text("code,barcode,name,category,area,price_wholesale,price_franchise,care_note,"
                   "material,origin,stock\n"
                   "XL-9001,,925银雪花锁骨链,项链,,88.00,80.00,,S925银,广州番禺,5\n", encoding="utf-8")
    assert runner.invoke(args=["catalog", "import", str(csv)]).exit_code == 0
    with app.app_context():
        assert [p.code for p in search_products("雪花锁骨")] == ["XL-9001"]
    csv.write_text("code,name,price_wholesale,price_franchise\nXL-9001,925银月牙锁骨链,88.00,80.00\n",
                   encoding="utf-8")
    result = runner.invoke(args=["catalog", "import", "--update", str(csv)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert search_products("雪花") == []
        assert [p.code for p in search_products("月牙")] == ["XL-9001"]
