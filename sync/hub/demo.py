"""A demo hub's contents: the sample county and its schools, one login per role, and a few
hundred sample records of every form in every state (some with warnings, one open conflict),
written through the same push path the clients use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select

from sync.hub import schema
from sync.hub.auth import Caller, add_org, add_user
from sync.hub.service import Hub
from sync.protocol import MUTATION_ADAPTER, Decision, Op, Role, SaveMutation, new_id
from sync.samples import FORM_IDS, WARNING_FORMS, SampleFactory, demo_orgs

DEMO_PASSWORD = "chanjiao-demo"


@dataclass(frozen=True, slots=True)
class Login:
    username: str
    password: str
    role: Role
    org: str
    org_name: str


def _mutation(**members: Any) -> Any:
    return MUTATION_ADAPTER.validate_python({"mutation_id": new_id(), **members})


def seed_demo(hub: Hub, records_per_school: int = 100, seed: int = 2026) -> list[Login]:
    """Fill an empty hub; on a hub that has its demo users already, only list the logins."""
    county, schools = demo_orgs()
    logins = [Login("county", DEMO_PASSWORD, Role.COUNTY, county.code, county.name)]
    logins += [
        Login(f"school{i}", DEMO_PASSWORD, Role.SCHOOL, school.code, school.name)
        for i, school in enumerate(schools, 1)
    ]
    logins.append(Login("admin", DEMO_PASSWORD, Role.ADMIN, county.code, "管理员 Administrator"))
    factory = SampleFactory(seed)

    def create(connection: Connection) -> bool:
        seeded = connection.execute(
            select(schema.users.c.username).where(schema.users.c.username == "county")
        ).first()
        if seeded is not None:
            return False
        add_org(connection, county.code, county.name, "county")
        for school in schools:
            add_org(connection, school.code, school.name, "school", county.code, school.school_kind)
        for login in logins:
            add_user(
                connection,
                hub.auth.hasher,
                login.username,
                login.password,
                login.role,
                login.org,
                _display_name(login),
            )
        enterprises = {}
        for _ in range(20):
            name, uscc = factory.enterprise()
            enterprises[uscc] = name
        connection.execute(
            insert(schema.enterprises),
            [{"uscc": uscc, "name": name} for uscc, name in enterprises.items()],
        )
        return True

    if not hub.db.write(create):
        return logins
    county_caller = _caller(logins[0], county.code)
    drafts = [
        _seed_school(hub, _caller(login, county.code), county_caller, factory, records_per_school)
        for login in logins[1:-1]
    ]
    _open_conflict(hub, _caller(logins[1], county.code), drafts[0])
    return logins


def _display_name(login: Login) -> str:
    if login.role is Role.SCHOOL:
        return f"{login.org_name}填报员"
    if login.role is Role.COUNTY:
        return f"{login.org_name}审核员"
    return "系统管理员"


def _caller(login: Login, county: str) -> Caller:
    return Caller(login.username, _display_name(login), login.role, login.org, county, "")


def _open_conflict(hub: Hub, school: Caller, draft: SaveMutation) -> None:
    """Two devices of `school` edit the class of `draft` from the same revision: the second
    edit conflicts."""
    for class_name in ("2024级机电2班", "2024级机电3班"):
        hub.push(
            school,
            [
                _mutation(
                    record_id=str(draft.record_id),
                    op=Op.SAVE,
                    base_rev=1,
                    form=draft.form,
                    form_version=1,
                    fields=draft.fields | {"class_name": class_name},
                )
            ],
            "",
            None,
            "zh",
        )


def _seed_school(
    hub: Hub, school: Caller, county: Caller, factory: SampleFactory, count: int
) -> SaveMutation:
    """Drafts (some with issues), submitted, returned and approved records of one school; its
    first internship draft."""
    saves = []
    for i in range(count):
        form = FORM_IDS[i % len(FORM_IDS)]
        flavour = ("valid", "warning", "draft", "error")[i % 4]
        if flavour == "warning" and form not in WARNING_FORMS:
            flavour = "valid"
        saves.append(
            _mutation(
                record_id=new_id(),
                op=Op.SAVE,
                base_rev=0,
                form=form,
                form_version=1,
                fields=factory.fields(form, flavour),
            )
        )
    hub.push(school, saves, "", None, "zh")
    valid = [m for i, m in enumerate(saves) if i % 4 < 2]
    submits = [_mutation(record_id=str(m.record_id), op=Op.SUBMIT, base_rev=1) for m in valid]
    hub.push(school, submits, "", None, "zh")
    reviews = []
    for i, m in enumerate(valid):
        if i % 3 == 0:
            reviews.append(
                _mutation(
                    record_id=str(m.record_id), op=Op.REVIEW, base_rev=2, decision=Decision.APPROVE
                )
            )
        elif i % 3 == 1:
            reviews.append(
                _mutation(
                    record_id=str(m.record_id),
                    op=Op.REVIEW,
                    base_rev=2,
                    decision=Decision.RETURN,
                    comment="请补充实习协议签订日期后重新提交。",
                )
            )
    if reviews:
        hub.push(county, reviews, "", None, "zh")
    drafts = [m for i, m in enumerate(saves) if i % 4 == 2 and isinstance(m, SaveMutation)]
    return next(m for m in drafts if m.form == "internship")
