"""Sample data: every flavour validates as promised, identifiers are real, seeds reproduce."""

from __future__ import annotations

import datetime

import pytest

import forms
from sync.protocol import OrgKind
from sync.samples import FLAVOURS, FORM_IDS, WARNING_FORMS, SampleFactory, demo_orgs

TODAY = datetime.date(2026, 11, 21)
RECORDS = 200
REQUIRED_CODES = {"required", "required_choice"}
CASES = [
    (form_id, flavour)
    for form_id in FORM_IDS
    for flavour in FLAVOURS
    if flavour != "warning" or form_id in WARNING_FORMS
]


@pytest.fixture(scope="module")
def registry() -> forms.FormRegistry:
    return forms.FormRegistry()


@pytest.mark.parametrize(("form_id", "flavour"), CASES)
def test_flavour_gives_the_promised_issues(
    registry: forms.FormRegistry, form_id: str, flavour: str
) -> None:
    form = registry.get(form_id)
    factory = SampleFactory(seed=11)
    for _ in range(RECORDS):
        fields = factory.fields(form_id, flavour)
        forms.coerce(form, fields)
        issues = forms.validate(form, fields, today=TODAY)
        severities = {str(issue.severity) for issue in issues}
        described = [(i.code, i.path) for i in issues]
        if flavour == "valid":
            assert issues == [], (described, fields)
        elif flavour == "warning":
            assert severities == {"warning"}, (described, fields)
        elif flavour == "error":
            assert "error" in severities, fields
        else:
            assert issues, fields
            assert {issue.code for issue in issues} <= REQUIRED_CODES, (described, fields)


def test_teacher_placement_has_no_warning_flavour() -> None:
    with pytest.raises(ValueError, match="no warning rule"):
        SampleFactory().fields("teacher_placement", "warning")


def test_unknown_form_or_flavour_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown form"):
        SampleFactory().fields("canteen")
    with pytest.raises(ValueError, match="unknown flavour"):
        SampleFactory().fields("internship", "broken")


@pytest.mark.parametrize("form_id", ["internship", "teacher_placement"])
def test_person_ids_are_valid_and_match_the_record(form_id: str) -> None:
    factory = SampleFactory(seed=3)
    for _ in range(RECORDS):
        fields = factory.fields(form_id)
        number = fields["id_number"]
        assert forms.is_resident_id(number), number
        assert forms.resident_id_gender(number) == fields["gender"]
        if "birth_date" in fields:
            birth = forms.resident_id_birth_date(number)
            assert birth is not None and birth.isoformat() == fields["birth_date"]
        assert forms.is_uscc(fields["enterprise_uscc"])


def test_internship_ages_and_position_terms() -> None:
    factory = SampleFactory(seed=5)
    for _ in range(RECORDS):
        fields = factory.fields("internship")
        birth = datetime.date.fromisoformat(fields["birth_date"])
        start = datetime.date.fromisoformat(fields["start_date"])
        age = start.year - birth.year - ((start.month, start.day) < (birth.month, birth.day))
        assert 16 <= age <= 20
        assert fields["agreement_date"] < fields["start_date"]
        if age < 18:
            assert fields["guardian_consent"] is True
        if fields["internship_type"] == "position":
            assert fields["monthly_pay"] >= 0.8 * fields["probation_wage"]


def test_training_base_rows_carry_uuids_and_valid_usccs() -> None:
    factory = SampleFactory(seed=8)
    for _ in range(50):
        fields = factory.fields("training_base")
        rows = fields["majors"] + fields["partners"] + fields["funding"]
        assert all(len(row["_row"]) == 36 and row["_row"][14] == "4" for row in rows)
        assert all(forms.is_uscc(row["uscc"]) for row in fields["partners"])
        assert (
            sum(r["amount_10k_yuan"] for r in fields["funding"])
            == fields["total_investment_10k_yuan"]
        )


def test_identifier_helpers() -> None:
    factory = SampleFactory(seed=1)
    number = factory.resident_id(datetime.date(2008, 2, 29), "female")
    assert forms.is_resident_id(number)
    assert number.startswith("50010320080229")
    assert forms.resident_id_gender(number) == "female"
    assert forms.is_resident_id(factory.resident_id(datetime.date(1990, 5, 1), "male", "510104"))
    assert all(forms.is_uscc(factory.uscc()) for _ in range(100))
    name, code = factory.enterprise()
    assert name.endswith("公司") and forms.is_uscc(code)
    assert 2 <= len(factory.person_name()) <= 3


def test_resident_id_refuses_a_region_stdnum_rejects_for_the_year() -> None:
    # Chongqing's 5001xx codes date from 1997; stdnum rejects them for earlier births.
    with pytest.raises(ValueError, match="not a valid code"):
        SampleFactory().resident_id(datetime.date(1985, 1, 1), "male")
    with pytest.raises(ValueError, match="gender"):
        SampleFactory().resident_id(datetime.date(2008, 1, 1), "男")


def test_same_seed_same_data_and_other_seed_other_data() -> None:
    def batch(seed: int) -> list[dict[str, object]]:
        factory = SampleFactory(seed=seed)
        return [factory.fields(f, fl) for f, fl in CASES for _ in range(5)]

    assert batch(42) == batch(42)
    assert batch(42) != batch(43)


def test_dates_follow_today() -> None:
    later = datetime.date(2030, 3, 1)
    fields = SampleFactory(seed=2, today=later).fields("internship")
    start = datetime.date.fromisoformat(fields["start_date"])
    assert abs((start - later).days) <= 300


def test_demo_orgs() -> None:
    county, schools = demo_orgs()
    assert (county.code, county.name, county.kind) == ("500103", "重庆市渝中区", OrgKind.COUNTY)
    assert len(schools) == 3
    assert len({school.code for school in schools}) == 3
    assert all(s.kind is OrgKind.SCHOOL and s.county == county.code for s in schools)
    assert {s.school_kind for s in schools} <= {
        "secondary_vocational",
        "higher_vocational",
        "technician",
        "undergraduate",
    }
