"""Checks of Chinese identifiers. Checksums come from python-stdnum; never hand-written."""

from __future__ import annotations

import datetime
import re

from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

_MOBILE = re.compile(r"1[3-9]\d{9}")
# Area code 0 + 2-3 digits, a 7-8 digit number, an optional extension.
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}(-\d{1,6})?")
_MAJOR_CODE = re.compile(r"\d{6}")


def is_resident_id(value: str) -> bool:
    try:
        ric.validate(value)
    except (ValidationError, ValueError):
        return False
    return True


def resident_id_birth_date(value: object) -> datetime.date | None:
    """The birth date encoded in a valid resident ID, or None when it is not one."""
    if not isinstance(value, str) or not is_resident_id(value):
        return None
    return ric.get_birth_date(ric.compact(value))


def resident_id_gender(value: object) -> str | None:
    """'male' or 'female' from the 17th character (odd is male, GB 11643), or None."""
    if not isinstance(value, str) or not is_resident_id(value):
        return None
    return "male" if int(ric.compact(value)[16]) % 2 else "female"


def is_uscc(value: str) -> bool:
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
