"""Demo data for `flask showroom seed-demo`: word lists and pure generators, no database.

Everything here is built from a `random.Random` the caller seeds, so the demo is the
same on every run. Products come from believable name parts (material + craft + motif +
item, e.g. "925银镶锆石四叶草项链"); barcodes are valid EAN-13 with Chinese 69x
company prefixes; money is integer fen.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from showroom.catalog.importer import ean13_check_digit

# Floor areas (code, name); the seed gives each one an owner.
AREAS = (
    ("A1", "戒指区"), ("A2", "手链区"), ("A3", "项链区"), ("A4", "耳饰区"),
    ("A5", "手镯区"), ("A6", "吊坠区"), ("A7", "脚链胸针区"),
)


@dataclass(frozen=True)
class Kind:
    prefix: str
    category: str
    area: str
    share: int  # relative weight in the catalog
    low: int  # wholesale price range in yuan
    high: int
    nouns: tuple[str, ...]
    plain: tuple[str, ...] = ()  # nouns that read well without a motif


KINDS = (
    Kind("JZ", "戒指", "A1", 18, 12, 98,
         ("戒指", "开口戒指", "对戒", "尾戒", "食指戒", "指环", "叠戴戒指"), ("素圈戒指", "对戒")),
    Kind("SL", "手链", "A2", 16, 18, 128,
         ("手链", "串珠手链", "转运珠手链", "双层手链", "编绳手链"), ("蛇骨手链", "麻花手链")),
    Kind("XL", "项链", "A3", 16, 25, 268,
         ("项链", "锁骨链", "毛衣链", "双层项链"), ("O字链", "十字链", "蛇骨链")),
    Kind("EH", "耳环", "A4", 16, 8, 68,
         ("耳钉", "耳环", "耳线", "耳坠", "耳夹"), ("耳圈", "耳骨钉")),
    Kind("SZ", "手镯", "A5", 10, 68, 580, ("手镯", "开口手镯", "推拉手镯"),
         ("实心手镯", "竹节手镯", "闭口手镯")),
    Kind("DZ", "吊坠", "A6", 12, 15, 168,
         ("吊坠", "转运珠吊坠", "锁片吊坠"), ("平安扣吊坠", "长命锁")),
    Kind("JL", "脚链", "A7", 6, 18, 88, ("脚链", "双层脚链"), ("铃铛脚链", "红绳脚链")),
    Kind("XZ", "胸针", "A7", 6, 20, 150, ("胸针", "领针", "丝巾扣"), ()),
)

# (material field, name prefix, weight)
MATERIALS = (
    ("S925银", "S925纯银", 22), ("S925银", "925银", 18), ("S925银镀白金", "925银镀白金", 12),
    ("S925银镀18K金", "925银镀金", 10), ("泰银", "泰银", 10), ("S990足银", "足银", 6),
    ("S925银镶锆石", "925银镶锆石", 14), ("S925银镶淡水珍珠", "925银珍珠", 8),
)
CRAFTS = ("复古", "简约", "磨砂", "拉丝", "镂空", "做旧", "亮面", "编织", "錾花", "珐琅",
          "镶贝母", "小众", "轻奢", "韩版", "民族风", "个性", "镶锆石")
MOTIFS = ("四叶草", "蝴蝶", "小雏菊", "星月", "爱心", "水滴", "樱花", "莫比乌斯", "雪花", "竹节",
          "福字", "貔貅", "如意", "祥云", "小鹿", "兔子", "猫爪", "蝴蝶结", "流苏", "几何", "玫瑰",
          "银杏叶", "海星", "贝壳", "字母", "天使之翼", "锦鲤", "葫芦", "莲花", "铃铛", "麋鹿",
          "太阳花", "星星", "月亮", "山茶花", "平安扣", "转运珠", "小熊", "鱼尾", "羽毛")
SIZES = ("（细款）", "（宽版）", "（大号）", "（小号）",
         "（加长款）", "（男款）", "（女款）", "（儿童款）")

# origin -> (GS1 company prefix for its supplier, weight)
ORIGINS = {
    "广州番禺": ("6921638", 30), "深圳水贝": ("6933172", 24), "义乌": ("6945027", 22),
    "泰国清迈": ("6901248", 10), "云南鹤庆": ("6970513", 8), "浙江温州": ("6958361", 6),
}
CARE_NOTES = (
    "避免接触香水、汗水和温泉；不戴时放入密封袋；用擦银布轻擦，勿用牙膏",
    "银饰氧化发黑属正常现象，可用擦银布擦拭恢复光亮；勿用牙膏、洗洁精清洗",
    "洗澡、游泳、运动前请取下；远离化妆品、消毒水；单独放入自封袋保存",
    "镀层产品请勿用擦银布用力擦拭，以免磨损镀层；避免碰撞硬物",
    "泰银为做旧工艺，黑色纹路为工艺效果，请勿清洗抛光",
    "珍珠怕酸怕汗，佩戴后用软布轻擦；避免与硬物摩擦",
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余"
GIVEN = ("美玲", "丽华", "建国", "晓燕", "志强", "秀英", "海涛", "婷婷", "小红", "伟", "芳", "静",
         "丽娟", "桂英", "文杰", "思雨", "佳怡", "俊杰", "雪梅", "春燕", "国庆", "玉兰", "明辉",
         "淑芬", "晶晶", "欣怡", "红梅", "志华", "丹", "霞")
SHOP_WORDS = ("饰品", "银饰", "精品", "首饰", "饰品批发", "银楼")
PLACES = (  # province, city, district, street, landmark
    ("广东", "广州", "荔湾区", "华林路", "上下九"),
    ("广东", "佛山", "禅城区", "祖庙路", "岭南天地"),
    ("广东", "东莞", "南城区", "鸿福路", "第一国际"),
    ("广西", "南宁", "青秀区", "民族大道", "万象城"),
    ("湖南", "长沙", "天心区", "黄兴南路", "五一广场"),
    ("湖北", "武汉", "江汉区", "江汉路", "江汉路步行街"),
    ("浙江", "杭州", "上城区", "湖滨路", "湖滨银泰"),
    ("浙江", "义乌", "稠城街道", "宾王路", "宾王市场"),
    ("江苏", "南京", "秦淮区", "贡院街", "夫子庙"),
    ("江苏", "苏州", "姑苏区", "观前街", "观前街"),
    ("福建", "厦门", "思明区", "中山路", "中山路步行街"),
    ("四川", "成都", "锦江区", "春熙路", "春熙路"),
    ("重庆", "重庆", "渝中区", "民族路", "解放碑"),
    ("云南", "昆明", "五华区", "南屏街", "南屏步行街"),
    ("贵州", "贵阳", "云岩区", "中华北路", "大十字"),
    ("江西", "南昌", "东湖区", "胜利路", "胜利路步行街"),
    ("河南", "郑州", "二七区", "德化街", "二七广场"),
    ("山东", "济南", "历下区", "泉城路", "泉城广场"),
    ("陕西", "西安", "碑林区", "东大街", "钟楼"),
    ("北京", "北京", "西城区", "西单北大街", "西单"),
    ("上海", "上海", "黄浦区", "南京东路", "南京路步行街"),
    ("安徽", "合肥", "庐阳区", "淮河路", "淮河路步行街"),
    ("海南", "海口", "龙华区", "国贸路", "国贸"),
    ("河北", "石家庄", "长安区", "中山东路", "北国商城"),
)
STOCK_LOTS = (3, 5, 10, 12, 20, 24, 30, 36, 50, 60, 100)
MUNICIPALITIES = {"北京", "上海", "重庆", "天津"}
MOBILE_PREFIXES = ("134", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158",
                   "159", "182", "183", "187", "188", "130", "131", "132", "155", "156", "185",
                   "186", "133", "153", "180", "181", "189", "177", "199")

# staff_no, name, roles, PIN: weak on purpose (staff number + "00"), printed at the end of the
# seed; only `flask showroom seed-demo` may create them, and never when SHOWROOM_ENV=production
STAFF = (
    ("1001", "林小雅", ("reception",), "100100"),
    ("1002", "陈志强", ("clerk",), "100200"),
    ("1003", "黄丽娟", ("clerk",), "100300"),
    ("1004", "吴晓燕", ("clerk",), "100400"),
    ("1005", "周美玲", ("cashier",), "100500"),
    ("1006", "郭海涛", ("packer",), "100600"),
    ("1007", "何建国", ("shipper", "packer"), "100700"),
    ("1008", "梁淑芬", ("manager",), "100800"),
)
# area code -> staff_no of its owner (区域负责人)
AREA_OWNERS = {"A1": "1002", "A2": "1002", "A3": "1003", "A4": "1003", "A5": "1004",
               "A6": "1004", "A7": "1008"}


def ean13(first12: str) -> str:
    return first12 + str(ean13_check_digit(first12))


def _price_fen(rng: random.Random, low: int, high: int) -> int:
    """A wholesale price, log-uniform in range, rounded the way price lists are."""
    yuan = low * (high / low) ** rng.random()
    step = 0.5 if yuan < 50 else (1 if yuan < 200 else 5)
    return int(round(yuan / step) * step * 100)


def product_name(rng: random.Random, kind: Kind, name_prefix: str) -> str:
    if kind.plain and rng.random() < 0.25:
        craft = rng.choice(("", "", "复古", "简约", "亮面", "磨砂"))
        return f"{name_prefix}{craft}{rng.choice(kind.plain)}"
    craft = rng.choice(CRAFTS) if rng.random() < 0.6 else ""
    if "镶" in name_prefix and "镶" in craft:
        craft = ""
    return f"{name_prefix}{craft}{rng.choice(MOTIFS)}{rng.choice(kind.nouns)}"


def products(rng: random.Random, count: int) -> list[dict[str, Any]]:
    """`count` products with unique codes, names and EAN-13 barcodes; `stock` is what to receive."""
    weights = [k.share for k in KINDS]
    serial = {k.prefix: 0 for k in KINDS}
    item_ref = {origin: 0 for origin in ORIGINS}
    names: set[str] = set()
    out: list[dict[str, Any]] = []
    for _ in range(count):
        kind = rng.choices(KINDS, weights)[0]
        material, name_prefix, _w = rng.choices(MATERIALS, [m[2] for m in MATERIALS])[0]
        if kind.prefix == "XZ" and rng.random() < 0.4:
            material, name_prefix = "铜镀白金", "镀白金"
        name = product_name(rng, kind, name_prefix)
        for _try in range(20):
            if name not in names:
                break
            name = product_name(rng, kind, name_prefix)
        if name in names:
            name += next((s for s in SIZES if name + s not in names), f"·{len(out)}")
        names.add(name)
        origin = rng.choices(list(ORIGINS), [w for _p, w in ORIGINS.values()])[0]
        if material == "泰银":
            origin = "泰国清迈"
        elif material == "S990足银" and kind.prefix == "SZ":
            origin = "云南鹤庆"
        serial[kind.prefix] += 1
        item_ref[origin] += 1
        wholesale = _price_fen(rng, kind.low, kind.high)
        franchise = wholesale * rng.randint(90, 96) // 100 // 10 * 10
        care = care_note(rng, material)
        stock = 0 if rng.random() < 0.12 else rng.choice(STOCK_LOTS)
        out.append({
            "code": f"{kind.prefix}-{serial[kind.prefix]:04d}",
            "barcode": ean13(f"{ORIGINS[origin][0]}{item_ref[origin]:05d}"),
            "name": name, "category": kind.category, "area": kind.area,
            "price_wholesale": wholesale, "price_franchise": franchise, "care_note": care,
            "material": material, "origin": origin, "stock": stock,
        })
    return out


def care_note(rng: random.Random, material: str) -> str:
    """Silver care advice for about two thirds of the silver pieces, matched to the finish."""
    if "珍珠" in material:
        return CARE_NOTES[5]
    if not material.startswith(("S9", "泰银")) or rng.random() > 0.65:
        return ""
    if material == "泰银":
        return CARE_NOTES[4]
    return CARE_NOTES[3] if "镀" in material else rng.choice(CARE_NOTES[:3])


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def address_of(rng: random.Random, place: tuple[str, ...]) -> str:
    province, city, district, street, landmark = place
    head = f"{city}市" if province in MUNICIPALITIES else f"{province}省{city}市"
    if province == "广西":
        head = f"广西壮族自治区{city}市"
    if rng.random() < 0.4:
        shop = f"{rng.randint(1, 4)}楼{rng.randint(101, 399)}号铺"
        return f"{head}{district}{street}{landmark}商场{shop}"
    return f"{head}{district}{street}{rng.randint(1, 288)}号"


def region_of(place: tuple[str, ...]) -> str:
    return place[0] if place[0] in MUNICIPALITIES else f"{place[0]} {place[1]}"


def customers(rng: random.Random, count: int = 50) -> list[dict[str, Any]]:
    """Customers of both kinds; some without an address, some with an opening balance (fen,
    + = 期初欠款 they owe us, - = 期初余款 we hold for them)."""
    out: list[dict[str, Any]] = []
    phones: set[str] = set()
    people: set[str] = set()
    shop_places = rng.sample(PLACES, len(PLACES))  # one franchise store per shopping street
    for i in range(count):
        kind = "franchise" if i % 5 in (1, 3) else "wholesale"
        place = shop_places.pop() if kind == "franchise" and shop_places else rng.choice(PLACES)
        person = person_name(rng)
        while person in people:
            person = person_name(rng)
        people.add(person)
        given = person[1:]
        if kind == "franchise":
            name = f"银语{place[1]}{place[4]}店（{person}）"
        elif rng.random() < 0.55:
            shop = rng.choice(SHOP_WORDS)
            name = f"{given}{shop}（{person}）" if len(given) == 2 else f"{person}{shop}"
        else:
            name = person
        phone = ""
        while not phone or phone in phones:
            phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        phones.add(phone)
        address = "" if i % 7 == 6 else address_of(rng, place)
        opening = 0
        if i % 4 == 0:
            opening = rng.randint(30, 1200) * 1000  # owes ¥300 … ¥12,000
        elif i % 6 == 5:
            opening = -rng.randint(5, 300) * 1000  # credit ¥50 … ¥3,000
        out.append({"name": name, "phone": phone, "kind": kind, "address": address,
                    "region": region_of(place), "opening": opening})
    return out
