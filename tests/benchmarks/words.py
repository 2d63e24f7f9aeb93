"""Believable Chinese catalog and customer data for the benchmark database, no database here.

Product names are built like a wholesale silver catalog's: material + craft + motif + item
(+ sometimes a style word), e.g. "925银镂空四叶草开口戒指"; barcodes are valid EAN-13 with a
69x (China) prefix. Everything comes from the `random.Random` the caller seeds, so the
generated database is the same on every machine.
"""
from __future__ import annotations

import random

# (code prefix, category, area code, relative share, wholesale yuan low..high, item nouns)
KINDS = (
    ("JZ", "戒指", "A1", 18, 12, 98, ("戒指", "开口戒指", "对戒", "尾戒", "食指戒", "指环", "素圈戒指")),
    ("SL", "手链", "A2", 16, 18, 128, ("手链", "串珠手链", "转运珠手链", "双层手链", "蛇骨手链")),
    ("XL", "项链", "A3", 16, 25, 268, ("项链", "锁骨链", "毛衣链", "双层项链", "十字链")),
    ("EH", "耳饰", "A4", 16, 8, 68, ("耳钉", "耳环", "耳线", "耳坠", "耳夹", "耳骨钉")),
    ("SZ", "手镯", "A5", 10, 68, 580, ("手镯", "开口手镯", "推拉手镯", "竹节手镯")),
    ("DZ", "吊坠", "A6", 12, 15, 168, ("吊坠", "转运珠吊坠", "锁片吊坠", "平安扣吊坠", "长命锁")),
    ("JL", "脚链", "A7", 6, 18, 88, ("脚链", "双层脚链", "铃铛脚链", "红绳脚链")),
    ("XZ", "胸针", "A7", 6, 20, 150, ("胸针", "领针", "丝巾扣")),
)
AREAS = (("A1", "戒指区"), ("A2", "手链区"), ("A3", "项链区"), ("A4", "耳饰区"),
         ("A5", "手镯区"), ("A6", "吊坠区"), ("A7", "脚链胸针区"))
MATERIALS = (("S925银", "S925纯银"), ("S925银", "925银"), ("S925银镀白金", "925银镀白金"),
             ("S925银镀18K金", "925银镀金"), ("泰银", "泰银"), ("S990足银", "足银"),
             ("S925银镶锆石", "925银镶锆石"), ("S925银镶淡水珍珠", "925银珍珠"))
CRAFTS = ("复古", "简约", "磨砂", "拉丝", "镂空", "做旧", "亮面", "编织", "錾花", "珐琅",
          "镶贝母", "小众", "轻奢", "韩版", "民族风", "个性", "镶锆石", "古法", "抛光", "")
MOTIFS = ("四叶草", "蝴蝶", "小雏菊", "星月", "爱心", "水滴", "樱花", "莫比乌斯", "雪花", "竹节",
          "貔貅", "锦鲤", "莲花", "如意", "福字", "平安", "祥云", "小鹿", "猫爪", "月亮",
          "太阳花", "麦穗", "玫瑰", "银杏叶", "海星", "贝壳", "羽毛", "蜜蜂", "兔子", "龙凤",
          "葫芦", "铃兰", "天鹅", "蝴蝶结", "几何", "方糖", "珍珠", "波浪", "编绳", "")
STYLES = ("女款", "男款", "情侣款", "儿童款", "ins风", "网红款", "新款", "经典款", "爆款", "")
ORIGINS = ("广州", "深圳", "义乌", "云南", "泰国", "浙江")
CARE_NOTES = ("避免接触水、香水和化妆品；不佩戴时放入密封袋。",
              "镀金层怕摩擦，请勿用擦银布用力擦拭。",
              "珍珠怕酸碱和汗液，佩戴后用软布擦干。")
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许"
            "韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢")
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华红玉梅建国志文辉鹏飞燕琳晶雪婷"
SHOPS = ("银饰", "饰品", "首饰", "银楼", "精品店", "银坊")
PROVINCES = (("广东省", "广州市", "华南"), ("广东省", "深圳市", "华南"), ("浙江省", "义乌市", "华东"),
             ("江苏省", "南京市", "华东"), ("湖南省", "长沙市", "华中"), ("四川省", "成都市", "西南"),
             ("云南省", "昆明市", "西南"), ("山东省", "济南市", "华北"), ("河南省", "郑州市", "华中"),
             ("福建省", "厦门市", "华东"), ("广西壮族自治区", "南宁市", "华南"), ("湖北省", "武汉市", "华中"))
ROADS = ("人民路", "中山路", "解放路", "建设路", "华林路", "文化路", "光明街", "商业街", "新华路")


def ean13(body12: str) -> str:
    """The 12 digits plus their EAN-13 check digit."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body12))
    return body12 + str((10 - total % 10) % 10)


def kind_table() -> list[tuple[str, str, str, int, int, tuple[str, ...]]]:
    """KINDS expanded by share, for rng.choice."""
    out = []
    for prefix, category, area, share, low, high, nouns in KINDS:
        out += [(prefix, category, area, low, high, nouns)] * share
    return out


def product_row(rng: random.Random, n: int, kinds: list, area_ids: dict[str, int]) -> dict:
    """Product number n (1-based): code like SL012345, unique barcode, Chinese name, fen prices."""
    prefix, category, area, low, high, nouns = rng.choice(kinds)
    material, mat_name = rng.choice(MATERIALS)
    name = mat_name + rng.choice(CRAFTS) + rng.choice(MOTIFS) + rng.choice(nouns) + rng.choice(STYLES)
    wholesale = rng.randint(low * 2, high * 2) * 50  # fen, in 0.50 yuan steps
    return {
        "code": f"{prefix}{n:06d}",
        "barcode": ean13(f"69{100_000_000 + n * 7919:010d}"),
        "name": name,
        "category": category,
        "area_id": area_ids[area],
        "price_wholesale": wholesale,
        "price_franchise": wholesale * 9 // 10,
        "care_note": rng.choice(CARE_NOTES) if rng.random() < 0.15 else "",
        "material": material,
        "origin": rng.choice(ORIGINS),
    }


def customer_row(rng: random.Random, n: int) -> dict:
    """Customer number n: a person or a shop, a unique mobile number, a full address."""
    person = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
    province, city, region = rng.choice(PROVINCES)
    name = person if rng.random() < 0.6 else f"{city[:-1]}{person[0]}记{rng.choice(SHOPS)}"
    return {
        "code": f"K{n:05d}",
        "name": name,
        "phone": f"13{(n * 7_654_321) % 1_000_000_000:09d}",
        "kind": "franchise" if rng.random() < 0.15 else "wholesale",
        "address": f"{province}{city}{rng.choice(ROADS)}{rng.randint(1, 999)}号",
        "region": region,
    }
