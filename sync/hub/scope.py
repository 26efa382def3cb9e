"""Which records a caller may see, as one rule written twice: for a record in hand and as SQL.

A school sees its own records; a county sees every non-draft record of its schools (those whose
`county` is the county's code) and the records it created itself (whose `org` is the county's
code); an admin sees all.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_, true

from sync.hub import schema
from sync.hub.auth import Caller
from sync.protocol import RecordStatus, Role


def can_see(caller: Caller, org: str, county: str, status: str) -> bool:
    if caller.role is Role.SCHOOL:
        return org == caller.org
    if caller.role is Role.COUNTY:
        return county == caller.org and (status != RecordStatus.DRAFT or org == caller.org)
    return True


def scope_filter(caller: Caller) -> ColumnElement[bool]:
    records = schema.records
    if caller.role is Role.SCHOOL:
        return records.c.org == caller.org
    if caller.role is Role.COUNTY:
        return and_(
            records.c.county == caller.org,
            or_(records.c.status != RecordStatus.DRAFT.value, records.c.org == caller.org),
        )
    return true()
