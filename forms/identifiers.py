"""Checks of Chinese identifiers. Checksums come from python-stdnum; never hand-written.

stdnum is imported by the checks that use it (their results are cached, so once per value), not
with this module: it brings ssl and pydoc along, a cost the desktop's start need not pay
(issue 6) when the record list only masks ID numbers.
"""

from __future__ import annotations

import datetime
import re
from functools import lru_cache

_MOBILE = re.compile(r"1[3-9]\d{9}")
# Area code 0 + 2-3 digits, a 7-8 digit number, an optional extension.
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}(-\d{1,6})?")
_MAJOR_CODE = re.compile(r"\d{6}")
# A resident ID as most are typed: already what stdnum's compact() would make of it.
_COMPACT_RESIDENT_ID = re.compile(r"[0-9]{17}[0-9X]")


@lru_cache(maxsize=4096)
def _read_resident_id(value: str) -> tuple[datetime.date, str] | None:
    """(birth date, gender) of a valid resident ID, or None. Cached: one record asks several
    rules about the same number.

    The steps of stdnum's ric.validate, using its check digit and region table, but
    accepting a region code known at any time: stdnum demands that it existed in the birth
    year, while real numbers carry the region where they were issued, often later (Chongqing's
    5001xx codes date from 1997)."""
    from stdnum.cn import ric

    number = value if _COMPACT_RESIDENT_ID.fullmatch(value) else ric.compact(value)
    if len(number) != 18 or not number[:17].isdigit():
        return None
    if number[-1] != ric.calc_check_digit(number):
        return None
    try:
        birth_date = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None
    if not _is_known_region(number[:6]):
        return None
    return birth_date, "male" if int(number[16]) % 2 else "female"


@lru_cache(maxsize=8192)
def _is_known_region(code: str) -> bool:
    from stdnum import numdb

    return any(props for _, props in numdb.get("cn/loc").info(code))


def is_resident_id(value: str) -> bool:
    return _read_resident_id(value) is not None


def resident_id_birth_date(value: object) -> datetime.date | None:
    """The birth date encoded in a valid resident ID, or None when it is not one."""
    read = _read_resident_id(value) if isinstance(value, str) else None
    return read[0] if read else None


def resident_id_gender(value: object) -> str | None:
    """'male' or 'female' from the 17th character (odd is male, GB 11643), or None."""
    read = _read_resident_id(value) if isinstance(value, str) else None
    return read[1] if read else None


@lru_cache(maxsize=4096)
def is_uscc(value: str) -> bool:
    from stdnum.cn import uscc
    from stdnum.exceptions import ValidationError

    try:
        uscc.validate(value)
    except (ValidationError, ValueError):
        return False
    return True


def is_phone(value: str) -> bool:
    compact = value.replace(" ", "").replace("(", "").replace(")", "")
    compact = compact.removeprefix("+86")
    return bool(_MOBILE.fullmatch(compact) or _LANDLINE.fullmatch(compact))


def is_major_code(value: str) -> bool:
    return bool(_MAJOR_CODE.fullmatch(value))


def mask_id_number(value: str) -> str:
    """`110105********002X`: keep the region (6) and the last 4, hide the birth date."""
    if len(value) <= 10:
        return value[:2] + "*" * max(len(value) - 2, 0)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]
