import datetime

import pytest

import forms
from tests.forms.conftest import credit_code, resident_id


def test_resident_id_gives_birth_date_and_gender() -> None:
    number = resident_id("2006-03-15", "124")
    assert forms.is_resident_id(number)
    assert forms.resident_id_birth_date(number) == datetime.date(2006, 3, 15)
    assert forms.resident_id_gender(number) == "female"
    assert forms.resident_id_gender(resident_id("2006-03-15", "123")) == "male"


@pytest.mark.parametrize("number", ["", "123", "11010519491231002Y", "110105194913310021", None, 5])
def test_invalid_resident_ids_give_nothing(number: object) -> None:
    assert forms.resident_id_birth_date(number) is None
    assert forms.resident_id_gender(number) is None


def test_uscc_checksum_comes_from_stdnum() -> None:
    assert forms.is_uscc(credit_code())
    assert not forms.is_uscc(credit_code()[:-1] + "0" if credit_code()[-1] != "0" else "1")


@pytest.mark.parametrize(
    ("phone", "valid"),
    [("13812345678", True), ("+86 138 1234 5678", True), ("023-68812345", True),
     ("02368812345", True), ("010-1234567-89", True), ("12812345678", False), ("12345", False),
     ("", False)],
)  # fmt: skip
def test_phone_numbers(phone: str, valid: bool) -> None:
    assert forms.is_phone(phone) is valid


def test_masking_keeps_region_and_last_four() -> None:
    assert forms.mask_id_number("11010519491231002X") == "110105********002X"
    assert forms.mask_id_number("E1234567") == "E1******"


def test_region_code_issued_after_the_birth_year_is_accepted() -> None:
    # Chongqing's 500103 dates from 1997; people born earlier carry it when issued there.
    number = resident_id("1985-01-01", "123")
    assert forms.is_resident_id(number)
    assert not forms.is_resident_id(resident_id("1985-01-01", "123", region="990103"))
