"""Realistic, deterministic sample records for the hub's `demo` command, benchmarks and tests.

    >>> factory = SampleFactory(seed=7)
    >>> fields = factory.fields("internship")  # wire-format values, no issue under forms.validate

Everything comes from one seeded `random.Random`, so the same seed and the same calls give the
same data. Identifiers are valid: resident IDs (GB 11643) and USCCs (GB 32100) get their check
characters from python-stdnum.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from random import Random
from typing import Any, Final, TypeVar

from stdnum.cn import ric, uscc as stdnum_uscc
from stdnum.exceptions import ValidationError

from sync.protocol import Org, OrgKind

_T = TypeVar("_T")

DEFAULT_TODAY: Final = datetime.date(2026, 11, 21)
FORM_IDS: Final = ("training_base", "internship", "teacher_placement")
FLAVOURS: Final = ("valid", "warning", "error", "draft")
# teacher_placement v1 has no warning-severity rule, so no record can carry only warnings.
WARNING_FORMS: Final = frozenset({"training_base", "internship"})

# Chongqing districts (students, enterprises); stdnum accepts them for births from 1997 on.
_CHONGQING_DISTRICTS: Final = (
    "500103", "500104", "500105", "500106", "500107", "500108", "500109", "500112", "500113",
)  # fmt: skip
# Teachers' regions: stdnum checks a code existed in the birth year, and Chongqing's 5001xx codes
# only date from 1997; older teachers get the Sichuan-era codes of Chongqing and Chengdu.
_ADULT_REGIONS: Final = (
    *_CHONGQING_DISTRICTS, "510202", "510203", "510212", "510213", "510221", "510121", "510122",
)  # fmt: skip

_SURNAMES: Final = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕"
    "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃"
    "武戴莫孔向汤冉"
)
_GIVEN_MALE: Final = (
    "伟", "强", "磊", "洋", "勇", "军", "杰", "涛", "超", "明", "刚", "平", "辉", "鹏", "浩",
    "宇", "轩", "然", "博", "文", "俊", "子豪", "浩然", "宇航", "梓轩", "俊杰", "子涵", "志强",
    "建华", "明辉", "思远", "天佑", "家豪", "一鸣", "嘉俊", "皓宇", "晨阳", "锦程", "文博",
)  # fmt: skip
_GIVEN_FEMALE: Final = (
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "婷", "雪", "琳", "欣", "颖", "倩", "洁",
    "雨涵", "欣怡", "梓涵", "诗琪", "佳怡", "思琪", "可馨", "雨桐", "晓燕", "丽娟", "春梅",
    "梦瑶", "语嫣", "紫涵", "若曦", "婉清", "晓雯", "佳琪", "雅婷", "一诺", "安琪", "心怡",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Major:
    code: str
    name: str
    class_word: str
    sector: str
    industries: tuple[str, ...]
    positions: tuple[str, ...]


# Higher-vocational majors of the 2021 catalogue (职业教育专业目录(2021年)).
_MAJORS: Final = (
    _Major("460103", "数控技术", "数控", "manufacturing", ("intelligent_manufacturing",),
           ("数控车工", "数控铣工", "加工中心操作工", "质检员")),
    _Major("460104", "机械制造及自动化", "机制", "manufacturing", ("intelligent_manufacturing",),
           ("装配钳工", "工艺员", "设备维护员")),
    _Major("460301", "机电一体化技术", "机电", "manufacturing",
           ("intelligent_manufacturing", "new_energy"),
           ("电气装配工", "设备维修员", "生产线操作员")),
    _Major("460305", "工业机器人技术", "工业机器人", "manufacturing",
           ("intelligent_manufacturing", "big_data"),
           ("机器人操作员", "机器人运维员", "自动化调试员")),
    _Major("460702", "新能源汽车技术", "新能源汽车", "automotive", ("new_energy",),
           ("电池装配工", "整车检测员", "售后技术员")),
    _Major("500211", "汽车检测与维修技术", "汽修", "automotive", ("intelligent_manufacturing",),
           ("汽车维修工", "机电维修技师助理", "服务顾问")),
    _Major("510201", "计算机应用技术", "计应", "it", ("next_gen_it",),
           ("桌面运维工程师", "网站编辑", "技术支持")),
    _Major("510202", "计算机网络技术", "网络", "it", ("next_gen_it",),
           ("网络运维员", "综合布线员", "网络安全助理")),
    _Major("510203", "软件技术", "软件", "it", ("next_gen_it", "digital_creative"),
           ("软件测试员", "前端开发助理", "实施工程师")),
    _Major("510205", "大数据技术", "大数据", "it", ("big_data",),
           ("数据标注员", "数据分析助理", "运维工程师")),
    _Major("530302", "大数据与会计", "会计", "services", ("other",),
           ("出纳", "会计助理", "财务共享中心专员")),
    _Major("530701", "电子商务", "电商", "commerce", ("e_commerce", "logistics"),
           ("网店运营助理", "直播助理", "客服专员")),
    _Major("530802", "现代物流管理", "物流", "commerce", ("logistics",),
           ("仓储管理员", "分拣员", "物流调度员")),
    _Major("520201", "护理", "护理", "health", ("health_care",),
           ("护士助理", "康复护理员", "养老护理员")),
    _Major("540106", "酒店管理与数字化运营", "酒店", "services", ("culture_tourism",),
           ("前台接待", "客房服务员", "餐饮服务员")),
)  # fmt: skip

_REAL_ENTERPRISES: Final = (
    ("重庆长安汽车股份有限公司", "automotive", "500000"),
    ("赛力斯集团股份有限公司", "automotive", "500000"),
    ("重庆宗申动力机械股份有限公司", "manufacturing", "500113"),
    ("重庆川仪自动化股份有限公司", "manufacturing", "500109"),
    ("重庆京东方光电科技有限公司", "it", "500106"),
    ("重庆智飞生物制品股份有限公司", "health", "500000"),
    ("重庆百货大楼股份有限公司", "commerce", "500103"),
    ("重庆建工集团股份有限公司", "manufacturing", "500000"),
    ("重庆医药（集团）股份有限公司", "health", "500103"),
    ("重庆农村商业银行股份有限公司", "services", "500000"),
)
_BRANDS: Final = (
    "渝欣", "巴渝", "鼎泰", "华创", "瑞丰", "嘉陵", "山城", "两江", "博远", "恒通", "众诚", "天府",
    "朝天门", "解放碑", "鸿运", "新港",
)  # fmt: skip
_SECTOR_TRADES: Final = {
    "manufacturing": ("精密机械", "智能装备", "机电设备", "模具"),
    "automotive": ("汽车零部件", "新能源汽车服务", "汽车销售服务"),
    "it": ("信息技术", "软件", "网络科技", "数据科技"),
    "commerce": ("电子商务", "供应链管理", "物流", "商贸"),
    "health": ("医疗器械", "健康管理", "养老服务"),
    "services": ("酒店管理", "财务咨询", "餐饮管理"),
}
_INSURERS: Final = (
    "中国人民财产保险股份有限公司",
    "中国平安财产保险股份有限公司",
    "中国太平洋财产保险股份有限公司",
    "中华联合财产保险股份有限公司",
    "中国人寿财产保险股份有限公司",
    "安诚财产保险股份有限公司",
)
_MOBILE_PREFIXES: Final = (
    "133", "135", "136", "138", "139", "150", "151", "152", "158", "159", "166", "173", "177",
    "180", "181", "186", "187", "189", "199",
)  # fmt: skip
_STREETS: Final = (
    "大坪正街", "中山三路", "解放西路", "民生路", "上清寺路", "两路口新村", "长江二路", "化龙桥",
)  # fmt: skip
# USCC characters: digits and capitals without I, O, S, V, Z (GB 32100).
_USCC_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_BASE_WORDS: Final = {
    "campus": "校内实训基地",
    "off_campus": "校外实训基地",
    "productive": "生产性实训基地",
    "public": "公共实训基地",
    "virtual": "虚拟仿真实训基地",
    "integration": "产教融合实训基地",
}
_FUNDING_SOURCES: Final = (
    "central_budget", "local_special_bond", "long_term_loan", "local_fiscal", "enterprise",
    "school_self",
)  # fmt: skip
_BASE_FUNCTIONS: Final = (
    "teaching", "training", "production", "internship", "tech_service", "skill_assessment",
)  # fmt: skip
_TEACHER_SUBJECTS_GENERAL: Final = ("语文", "数学", "英语", "思想政治", "信息技术", "体育与健康")


class _QuickRandom(Random):
    """Random whose choice/randint/randrange (positive steps) scale one random() float: a few
    times faster than the stdlib's exact rejection sampling, and even enough for sample data."""

    def choice(self, seq: Sequence[_T]) -> _T:  # type: ignore[override]
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        if stop is None:
            start, stop = 0, start
        return start + step * int(self.random() * ((stop - start + step - 1) // step))


@dataclass(frozen=True, slots=True)
class _Enterprise:
    name: str
    uscc: str
    sector: str


@lru_cache(maxsize=4096)
def _region_accepts(region: str, birth_year: int) -> bool:
    """Whether stdnum accepts `region` as the code of a person born in `birth_year`."""
    body = f"{region}{birth_year}0101001"
    try:
        ric.validate(body + ric.calc_check_digit(body + "0"))
    except ValidationError:
        return False
    return True


@lru_cache(maxsize=128)
def _adult_regions(birth_year: int) -> tuple[str, ...]:
    return tuple(region for region in _ADULT_REGIONS if _region_accepts(region, birth_year))


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def _age(birth: datetime.date, at: datetime.date) -> int:
    return at.year - birth.year - ((at.month, at.day) < (birth.month, birth.day))


class SampleFactory:
    """Sample people, enterprises and form field values, all drawn from one seeded rng."""

    def __init__(self, seed: int = 0, today: datetime.date | None = None) -> None:
        self.today = today or DEFAULT_TODAY
        self.rng: Random = _QuickRandom(seed)
        self._enterprises = self._enterprise_pool()
        self._by_sector: dict[str, list[_Enterprise]] = {}
        for enterprise in self._enterprises:
            self._by_sector.setdefault(enterprise.sector, []).append(enterprise)

    # Identifiers and people ------------------------------------------------------------------

    def resident_id(self, birth_date: datetime.date, gender: str, region: str = "500103") -> str:
        """A valid 18-character resident ID (GB 11643) for this birth date and gender.

        Raises ValueError when stdnum would reject `region` for that birth year."""
        if gender not in ("male", "female"):
            raise ValueError(f"gender must be 'male' or 'female', not {gender!r}")
        if not _region_accepts(region, birth_date.year):
            raise ValueError(f"region {region} is not a valid code for {birth_date.year}")
        # 17th digit: odd for men, even for women.
        sequence = self.rng.randrange(100) * 10 + self.rng.randrange(5) * 2 + (gender == "male")
        body = f"{region}{birth_date:%Y%m%d}{sequence:03d}"
        # calc_check_digit ignores the last character it is given: pass a placeholder.
        return body + ric.calc_check_digit(body + "0")

    def uscc(self, region: str = "500103") -> str:
        """A valid unified social credit code (GB 32100) of an enterprise registered in region."""
        # 9 = registered by market regulation, 1 = enterprise; "MA" marks post-2015 codes.
        body = "91" + region + "MA" + "".join(self.rng.choices(_USCC_ALPHABET, k=7))
        return body + stdnum_uscc.calc_check_digit(body)

    def person_name(self, gender: str | None = None) -> str:
        """A common Chinese name; given names fit `gender` when it is given."""
        if gender is None:
            gender = self.rng.choice(("male", "female"))
        given = _GIVEN_MALE if gender == "male" else _GIVEN_FEMALE
        return self.rng.choice(_SURNAMES) + self.rng.choice(given)

    def phone(self) -> str:
        """A mainland mobile number, or now and then a Chongqing landline."""
        if self.rng.random() < 0.8:
            return self.rng.choice(_MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
        return f"023-6{self.rng.randrange(10**7):07d}"

    def enterprise(self) -> tuple[str, str]:
        """(name, USCC) of an enterprise from this factory's pool; a name keeps its code."""
        chosen = self.rng.choice(self._enterprises)
        return chosen.name, chosen.uscc

    def _enterprise_pool(self) -> list[_Enterprise]:
        pool = [_Enterprise(n, self.uscc(r), s) for n, s, r in _REAL_ENTERPRISES]
        names = {e.name for e in pool}
        for sector, trades in _SECTOR_TRADES.items():
            while sum(e.sector == sector for e in pool) < 6:
                name = f"重庆{self.rng.choice(_BRANDS)}{self.rng.choice(trades)}有限公司"
                if name not in names:
                    names.add(name)
                    region = self.rng.choice(_CHONGQING_DISTRICTS)
                    pool.append(_Enterprise(name, self.uscc(region), sector))
        return pool

    def _row_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _day_between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        return first + datetime.timedelta(days=self.rng.randint(0, (last - first).days))

    # Form fields -----------------------------------------------------------------------------

    def fields(self, form_id: str, flavour: str = "valid") -> dict[str, Any]:
        """Wire-format (JSON) field values of one record of `form_id`.

        flavour: "valid" (no issue), "warning" (warnings only), "error" (at least one error),
        "draft" (some required fields missing, nothing else wrong)."""
        if flavour not in FLAVOURS:
            raise ValueError(f"unknown flavour {flavour!r}; expected one of {FLAVOURS}")
        if flavour == "warning" and form_id not in WARNING_FORMS:
            raise ValueError(f"{form_id} has no warning rule: no record can be warning-only")
        if form_id == "internship":
            return self._internship(flavour)
        if form_id == "training_base":
            return self._training_base(flavour)
        if form_id == "teacher_placement":
            return self._teacher_placement(flavour)
        raise ValueError(f"unknown form {form_id!r}; expected one of {FORM_IDS}")

    def _internship(self, flavour: str) -> dict[str, Any]:
        rng = self.rng
        today = self.today
        major = rng.choice(_MAJORS)
        position_type = rng.random() < 0.75
        start = today + datetime.timedelta(days=rng.randint(-300, 60))
        age = rng.randint(17, 20) if position_type else rng.randint(16, 19)
        # Exactly `age` at the start: born up to 360 days before that birthday.
        anniversary = datetime.date(start.year - age, start.month, min(start.day, 28))
        birth = anniversary - datetime.timedelta(days=rng.randint(0, 360))
        gender = rng.choice(("male", "female"))
        enterprise = rng.choice(self._by_sector[major.sector])
        if position_type:
            end = min(_add_months(start, rng.randint(3, 6)), _add_months(start, 6))
        else:
            end = start + datetime.timedelta(days=rng.randint(5, 30))
        staff = rng.randint(80, 3000)
        post_staff = rng.randint(20, 200)
        fields: dict[str, Any] = {
            "student_name": self.person_name(gender),
            "id_type": "resident_id",
            "id_number": self.resident_id(birth, gender, rng.choice(_CHONGQING_DISTRICTS)),
            "gender": gender,
            "birth_date": birth.isoformat(),
            "major_code": major.code,
            "major_name": major.name,
            "class_name": f"{start.year - 2 if start.month >= 9 else start.year - 3}级"
            f"{major.class_word}{rng.randint(1, 4)}班",
            "internship_type": "position" if position_type else "cognitive",
            "enterprise_name": enterprise.name,
            "enterprise_uscc": enterprise.uscc,
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
            "daily_hours": rng.choice((6, 7, 7.5, 8)),
            "night_shift": False,
            "overtime": False,
            "hazardous_post": False,
            "via_intermediary": False,
            "fee_charged": False,
            "agreement_signed": True,
            "agreement_date": (start - datetime.timedelta(days=rng.randint(3, 30))).isoformat(),
            "insurance_insurer": rng.choice(_INSURERS),
            "insurance_policy_no": f"PZAA{start.year}5001{rng.randrange(10**10):010d}",
            "school_mentor": self.person_name(),
            "interns_at_enterprise": rng.randint(1, staff // 10),
            "enterprise_staff": staff,
            "interns_at_post": rng.randint(1, post_staff // 5),
            "post_staff": post_staff,
        }
        if _age(birth, start) < 18:
            fields["guardian_consent"] = True
        if position_type:
            wage = rng.randrange(2400, 6000, 100)
            fields["position"] = rng.choice(major.positions)
            fields["probation_wage"] = wage
            # At least 80%, in whole hundreds; 0.8 * wage is compared as a float by the rule.
            fields["monthly_pay"] = rng.randrange(-(-wage * 8 // 1000) * 100, wage + 1, 100)
            fields["enterprise_mentor"] = self.person_name()
        if flavour == "warning":
            self._break_internship_softly(fields, start)
        elif flavour == "error":
            self._break_internship(fields, start, birth)
        elif flavour == "draft":
            for name in rng.sample(
                ("start_date", "end_date", "enterprise_name"), rng.randint(1, 3)
            ):
                del fields[name]
            for name in ("agreement_date", "insurance_policy_no", "school_mentor", "position"):
                fields.pop(name, None)
            fields["internship_type"] = "cognitive"
            fields.pop("probation_wage", None)
            fields.pop("monthly_pay", None)
            fields.pop("enterprise_mentor", None)
        return fields

    def _break_internship_softly(self, fields: dict[str, Any], start: datetime.date) -> None:
        kind = self.rng.randrange(3)
        if kind == 0:
            fields["interns_at_enterprise"] = fields["enterprise_staff"] // 10 + self.rng.randint(
                1, 20
            )
        elif kind == 1:
            fields["interns_at_post"] = fields["post_staff"] // 5 + self.rng.randint(1, 10)
        else:
            fields["internship_type"] = "position"
            fields.setdefault("position", "生产线操作员")
            fields.setdefault("probation_wage", 3500)
            fields.setdefault("monthly_pay", 3000)
            fields.setdefault("enterprise_mentor", self.person_name())
            months = _add_months(start, 6)
            fields["end_date"] = (
                months + datetime.timedelta(days=self.rng.randint(1, 60))
            ).isoformat()

    def _break_internship(
        self, fields: dict[str, Any], start: datetime.date, birth: datetime.date
    ) -> None:
        rng = self.rng
        kind = rng.randrange(10)
        if kind == 0:
            fields["daily_hours"] = rng.choice((9, 10, 12))
        elif kind == 1:
            fields[rng.choice(("night_shift", "overtime", "hazardous_post"))] = True
        elif kind == 2:
            fields[rng.choice(("via_intermediary", "fee_charged"))] = True
        elif kind == 3:
            fields["agreement_date"] = (
                start + datetime.timedelta(days=rng.randint(1, 20))
            ).isoformat()
        elif kind == 4:
            fields["end_date"] = (start - datetime.timedelta(days=rng.randint(1, 30))).isoformat()
        elif kind == 5:
            fields["gender"] = "female" if fields["gender"] == "male" else "male"
        elif kind == 6:
            fields["birth_date"] = (birth + datetime.timedelta(days=rng.randint(1, 40))).isoformat()
        elif kind == 7:
            fields["internship_type"] = "position"
            fields["position"] = fields.get("position", "装配工")
            fields["probation_wage"] = 4000
            fields["monthly_pay"] = rng.randrange(1000, 3200, 100)
            fields["agreement_signed"] = rng.random() < 0.5
            fields.setdefault("enterprise_mentor", self.person_name())
        elif kind == 8:
            # A wrong check character: the last digit of the ID is changed.
            number = fields["id_number"]
            last = "0" if number[-1] != "0" else "1"
            fields["id_number"] = number[:-1] + last
        else:
            fields["enterprise_uscc"] = fields["enterprise_uscc"][:-1] + (
                "0" if fields["enterprise_uscc"][-1] != "0" else "1"
            )

    def _training_base(self, flavour: str) -> dict[str, Any]:
        rng = self.rng
        today = self.today
        majors = rng.sample(_MAJORS, rng.randint(1, 3))
        base_type = rng.choice(tuple(_BASE_WORDS))
        status = rng.choice(
            ("planned", "under_construction", "completed", "operating", "operating")
        )
        industries = sorted({industry for major in majors for industry in major.industries})
        partners = rng.sample(self._by_sector[majors[0].sector], rng.randint(1, 3))
        total_investment = rng.randrange(200, 8000, 10)
        fields: dict[str, Any] = {
            "name": f"重庆市渝中区{majors[0].name}{_BASE_WORDS[base_type]}",
            "base_type": base_type,
            "level": rng.choice(("national", "provincial", "municipal", "municipal", "school")),
            "address": f"重庆市渝中区{rng.choice(_STREETS)}{rng.randint(1, 300)}号",
            "industries": industries,
            "majors": [
                {"_row": self._row_id(), "major_code": m.code, "major_name": m.name} for m in majors
            ],
            "partners": [
                {
                    "_row": self._row_id(),
                    "enterprise_name": p.name,
                    "uscc": p.uscc,
                    "role": rng.choice(("co_build", "donate", "operate", "train")),
                    "investment_10k_yuan": rng.randrange(0, 500, 5),
                }
                for p in partners
            ],
            "area_m2": float(rng.randrange(300, 12000, 50)),
            "workstations": rng.randint(40, 600),
            "equipment_value_10k_yuan": round(rng.uniform(50, 3000), 2),
            "annual_capacity": rng.randrange(500, 20000, 100),
            "functions": sorted(rng.sample(_BASE_FUNCTIONS, rng.randint(1, 4))),
            "status": status,
            "total_investment_10k_yuan": total_investment,
            "funding": self._funding_rows(total_investment),
            "contact_name": self.person_name(),
            "contact_phone": self.phone(),
        }
        if status == "planned":
            fields["start_date"] = self._day_between(
                today, today + datetime.timedelta(days=365)
            ).isoformat()
        else:
            start = self._day_between(
                today - datetime.timedelta(days=3000), today - datetime.timedelta(days=200)
            )
            fields["start_date"] = start.isoformat()
            if status in ("completed", "operating"):
                completion = self._day_between(
                    start + datetime.timedelta(days=90),
                    min(start + datetime.timedelta(days=900), today),
                )
                fields["completion_date"] = completion.isoformat()
        if flavour == "warning":
            fields["total_investment_10k_yuan"] = total_investment + rng.randrange(10, 500, 10)
        elif flavour == "error":
            kind = rng.randrange(3)
            if kind == 0:
                fields["status"] = "completed"
                start = datetime.date.fromisoformat(fields["start_date"])
                fields["completion_date"] = (
                    start - datetime.timedelta(days=rng.randint(1, 200))
                ).isoformat()
            elif kind == 1:
                row = fields["partners"][0]
                row["uscc"] = row["uscc"][:-1] + ("0" if row["uscc"][-1] != "0" else "1")
            else:
                fields["area_m2"] = 0
        elif flavour == "draft":
            for name in rng.sample(
                ("level", "industries", "functions", "base_type"), rng.randint(1, 3)
            ):
                del fields[name]
            if status in ("completed", "operating") and rng.random() < 0.5:
                del fields["completion_date"]
        return fields

    def _funding_rows(self, total: int) -> list[dict[str, Any]]:
        """Funding rows that add up to `total` (whole 10k yuan, so the sum is exact)."""
        sources = self.rng.sample(_FUNDING_SOURCES, self.rng.randint(1, 3))
        cuts = sorted(self.rng.sample(range(1, total), len(sources) - 1))
        amounts = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
        return [
            {"_row": self._row_id(), "source": source, "amount_10k_yuan": amount}
            for source, amount in zip(sources, amounts, strict=True)
        ]

    def _teacher_placement(self, flavour: str) -> dict[str, Any]:
        rng = self.rng
        today = self.today
        to_enterprise = rng.random() < 0.7
        gender = rng.choice(("male", "female"))
        birth = datetime.date(rng.randint(1968, 1998), rng.randint(1, 12), rng.randint(1, 28))
        major = rng.choice(_MAJORS)
        enterprise = rng.choice(self._by_sector[major.sector])
        start = today - datetime.timedelta(days=rng.randint(10, 700))
        span = rng.randint(5, 180)
        end = start + datetime.timedelta(days=span - 1)
        fields: dict[str, Any] = {
            "direction": "school_to_enterprise" if to_enterprise else "enterprise_to_school",
            "person_name": self.person_name(gender),
            "id_type": "resident_id",
            "id_number": self.resident_id(birth, gender, rng.choice(_adult_regions(birth.year))),
            "gender": gender,
            "enterprise_name": enterprise.name,
            "enterprise_uscc": enterprise.uscc,
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
            "supervisor": self.person_name(),
        }
        if to_enterprise:
            category = rng.choice(("specialty", "specialty", "practice_instructor", "general"))
            hire_year = rng.randint(birth.year + 22, min(birth.year + 32, start.year - 1))
            fields["teacher_category"] = category
            fields["hire_date"] = datetime.date(hire_year, rng.choice((7, 8, 9)), 1).isoformat()
            fields["subject"] = (
                rng.choice(_TEACHER_SUBJECTS_GENERAL) if category == "general" else major.name
            )
            fields["practice_form"] = rng.choice(
                ("post_practice", "post_practice", "skill_training", "observation", "r_and_d")
            )
            fields["post"] = rng.choice(major.positions)
            fields["days"] = max(1, span * 5 // 7 - rng.randint(0, 3))
            cases = rng.randint(1, 4)
            fields["outcomes"] = f"完成{major.name}相关岗位实践，形成教学案例{cases}个。"
        else:
            fields["teacher_category"] = "enterprise_expert"
            fields["subject"] = major.name
            fields["practice_form"] = rng.choice(("teaching", "teaching", "part_time_post"))
            fields["post"] = f"{major.name}兼职教师"
            fields["days"] = max(1, span // 7 * rng.randint(1, 2))
            fields["teaching_hours"] = rng.randrange(16, 129, 4)
        if flavour == "error":
            kind = rng.randrange(4)
            if kind == 0:
                fields["days"] = span + rng.randint(1, 30)
            elif kind == 1:
                fields["end_date"] = (
                    start - datetime.timedelta(days=rng.randint(1, 30))
                ).isoformat()
            elif kind == 2:
                fields["gender"] = "female" if gender == "male" else "male"
            else:
                fields["id_number"] = fields["id_number"][:10] + "1332" + fields["id_number"][14:]
        elif flavour == "draft":
            for name in rng.sample(("start_date", "end_date", "practice_form"), rng.randint(1, 3)):
                del fields[name]
            fields.pop("days", None)
            fields.pop("hire_date" if to_enterprise else "teaching_hours")
        return fields


def demo_orgs() -> tuple[Org, list[Org]]:
    """The demo county (重庆市渝中区) and three of its schools, one of each vocational kind."""
    county = Org(code="500103", name="重庆市渝中区", kind=OrgKind.COUNTY)
    schools = [
        Org(
            code=code,
            name=name,
            kind=OrgKind.SCHOOL,
            county=county.code,
            school_kind=kind,
        )
        for code, name, kind in (
            ("3150010301", "重庆市渝中职业教育中心", "secondary_vocational"),
            ("4150010302", "重庆渝州科技职业学院", "higher_vocational"),
            ("3150010303", "重庆市渝中区技师学院", "technician"),
        )
    ]
    return county, schools
