"""Users, passwords, tokens and the login rate limit.

Passwords are hashed with argon2. A token is 32 random bytes shown once to the client; the hub
keeps only its SHA-256, so a copy of the database opens no session. Tokens expire and are revoked
by logout. Failed logins are counted in the database, so the limit holds across hub workers.
"""

from __future__ import annotations

import datetime
import hashlib
import math
import secrets
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, bindparam, delete, func, insert, select, text, update

from sync.console import Bilingual
from sync.hub import schema
from sync.hub.database import Database
from sync.protocol import Enterprise, Role, User, format_utc, utc_now

MAX_FAILED_LOGINS = 5
FAILED_LOGIN_WINDOW = datetime.timedelta(minutes=5)
DEFAULT_TOKEN_LIFETIME = datetime.timedelta(days=30)


@dataclass(frozen=True, slots=True)
class Caller:
    """The user behind a request."""

    username: str
    display_name: str
    role: Role
    org: str
    county: str | None
    token_hash: str

    def to_user(self) -> User:
        return User(
            username=self.username,
            display_name=self.display_name,
            role=self.role,
            org=self.org,
            county=self.county,
        )


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


class InvalidCredentials(Exception):
    pass


# Built once: every request runs it, and building the statement cost more than running it.
_CALLER_OF_TOKEN = (
    select(
        schema.users.c.username,
        schema.users.c.display_name,
        schema.users.c.role,
        schema.users.c.org,
        schema.users.c.county,
    )
    .join_from(schema.tokens, schema.users, schema.tokens.c.username == schema.users.c.username)
    .where(
        schema.tokens.c.token_hash == bindparam("token_hash"),
        schema.tokens.c.revoked_at.is_(None),
        schema.tokens.c.expires_at > bindparam("now"),
        schema.users.c.active.is_(True),
    )
)


# A transaction's lock on one username's login attempts (PostgreSQL). The two-key form keeps it
# apart from the one-key advisory locks of migrations and push batches.
_LOCK_USERNAME = text("SELECT pg_advisory_xact_lock(7412, hashtext(:username))")


def _rate_limit(
    connection: Connection, username: str, now: datetime.datetime
) -> RateLimited | None:
    """RateLimited when `username` has had MAX_FAILED_LOGINS failures within the window."""
    count, oldest = connection.execute(
        select(func.count(), func.min(schema.login_failures.c.at)).where(
            schema.login_failures.c.username == username,
            schema.login_failures.c.at > format_utc(now - FAILED_LOGIN_WINDOW),
        )
    ).one()
    if count < MAX_FAILED_LOGINS:
        return None
    oldest_at = datetime.datetime.fromisoformat(oldest.replace("Z", "+00:00"))
    wait = oldest_at + FAILED_LOGIN_WINDOW - now
    return RateLimited(max(1, math.ceil(wait.total_seconds())))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Authenticator:
    def __init__(
        self,
        db: Database,
        *,
        hasher: PasswordHasher | None = None,
        token_lifetime: datetime.timedelta = DEFAULT_TOKEN_LIFETIME,
    ) -> None:
        self.db = db
        self.hasher = hasher or PasswordHasher()
        self.token_lifetime = token_lifetime

    @cached_property
    def _dummy_hash(self) -> str:
        """Verifying against a real hash when the user is unknown keeps timing from telling."""
        return self.hasher.hash(secrets.token_hex(8))

    def login(self, username: str, password: str, device: str) -> tuple[str, str, Caller]:
        """(token, expires_at, caller), or RateLimited / InvalidCredentials.

        The password is verified first and the outcome decided after, in one transaction that
        counts the username's failures under a lock of that username: concurrent attempts
        queue there, so however many arrive at once, at most MAX_FAILED_LOGINS of them fail
        with InvalidCredentials and the rest are RateLimited. Recording each attempt before
        verifying it would hold the same limit, but would count a right password still being
        verified as a failure, so six machines of one school logging in at the same moment
        would see a 429 and five minutes to wait. A username already at the limit is refused
        before the (deliberately slow) verification."""
        with self.db.read() as connection:
            limited = _rate_limit(connection, username, utc_now())
            row = connection.execute(
                select(schema.users).where(
                    schema.users.c.username == username, schema.users.c.active.is_(True)
                )
            ).first()
        if limited is not None:
            raise limited
        try:
            self.hasher.verify(row.password_hash if row else self._dummy_hash, password)
            verified = row is not None
        except (VerificationError, InvalidHashError):
            verified = False
        token = secrets.token_urlsafe(32)
        hashed = token_hash(token)

        def decide(connection: Connection) -> RateLimited | InvalidCredentials | str:
            """The refusal, or the new token's expiry."""
            now = utc_now()
            if connection.dialect.name == "postgresql":
                # SQLite needs no lock: its write transactions (BEGIN IMMEDIATE) run one at a time.
                connection.execute(_LOCK_USERNAME, {"username": username})
            limited = _rate_limit(connection, username, now)
            if limited is not None:
                return limited
            if not verified:
                connection.execute(
                    insert(schema.login_failures).values(username=username, at=format_utc(now))
                )
                return InvalidCredentials()
            expires_at = format_utc(now + self.token_lifetime)
            connection.execute(
                delete(schema.login_failures).where(schema.login_failures.c.username == username)
            )
            connection.execute(
                insert(schema.tokens).values(
                    token_hash=hashed,
                    username=username,
                    device=device,
                    created_at=format_utc(now),
                    expires_at=expires_at,
                )
            )
            connection.execute(
                insert(schema.audit).values(
                    at=format_utc(now), username=username, action="login", detail=device
                )
            )
            return expires_at

        outcome = self.db.write(decide)
        if isinstance(outcome, Exception):
            raise outcome
        assert row is not None  # verified
        caller = Caller(
            username=row.username,
            display_name=row.display_name,
            role=Role(row.role),
            org=row.org,
            county=row.county,
            token_hash=hashed,
        )
        return token, outcome, caller

    def caller(self, token: str) -> Caller | None:
        """The user of a live token, or None."""
        hashed = token_hash(token)
        row = self.db.read_one(
            _CALLER_OF_TOKEN, {"token_hash": hashed, "now": format_utc(utc_now())}
        )
        if row is None:
            return None
        return Caller(row.username, row.display_name, Role(row.role), row.org, row.county, hashed)

    def logout(self, caller: Caller) -> None:
        now = format_utc(utc_now())

        def revoke(connection: Connection) -> None:
            connection.execute(
                update(schema.tokens)
                .where(schema.tokens.c.token_hash == caller.token_hash)
                .values(revoked_at=now)
            )
            connection.execute(
                insert(schema.audit).values(at=now, username=caller.username, action="logout")
            )

        self.db.write(revoke)


class AdminError(Bilingual, ValueError):
    """A management command that cannot be carried out (unknown org, duplicate user, ...)."""


def add_org(
    connection: Connection,
    code: str,
    name: str,
    kind: str,
    county: str | None = None,
    school_kind: str | None = None,
) -> None:
    if kind not in ("county", "school"):
        raise AdminError(
            f"机构类型只能是 county（县区）或 school（学校），不能是 {kind!r}",
            f"org kind must be county or school, not {kind!r}",
        )
    if kind == "school":
        if not county:
            raise AdminError(
                "学校需要填写所属县区的代码（--county）", "a school needs its county code"
            )
        county_kind = connection.execute(
            select(schema.orgs.c.kind).where(schema.orgs.c.code == county)
        ).scalar()
        if county_kind != "county":
            raise AdminError(f"没有代码为 {county!r} 的县区", f"no county with code {county!r}")
    else:
        county = None
    exists = connection.execute(select(schema.orgs.c.code).where(schema.orgs.c.code == code))
    if exists.first() is not None:
        raise AdminError(
            f"代码为 {code!r} 的机构已存在", f"an org with code {code!r} exists already"
        )
    connection.execute(
        insert(schema.orgs).values(
            code=code, name=name, kind=kind, county=county, school_kind=school_kind
        )
    )


def add_user(
    connection: Connection,
    hasher: PasswordHasher,
    username: str,
    password: str,
    role: Role,
    org: str,
    display_name: str | None = None,
) -> User:
    """A new user of `org`: a school user of a school, a county user of a county; an admin's org
    may be any code (a province office) and need not exist."""
    org_row = connection.execute(select(schema.orgs).where(schema.orgs.c.code == org)).first()
    if role is Role.SCHOOL:
        if org_row is None or org_row.kind != "school":
            raise AdminError(f"没有代码为 {org!r} 的学校", f"no school with code {org!r}")
        county = org_row.county
    elif role is Role.COUNTY:
        if org_row is None or org_row.kind != "county":
            raise AdminError(f"没有代码为 {org!r} 的县区", f"no county with code {org!r}")
        county = org
    else:
        county = None
    existing = connection.execute(
        select(schema.users.c.username).where(schema.users.c.username == username)
    ).first()
    if existing is not None:
        raise AdminError(f"用户 {username!r} 已存在", f"user {username!r} exists already")
    name = display_name or username
    connection.execute(
        insert(schema.users).values(
            username=username,
            password_hash=hasher.hash(password),
            display_name=name,
            role=str(role),
            org=org,
            county=county,
            active=True,
            created_at=format_utc(utc_now()),
        )
    )
    return User(username=username, display_name=name, role=role, org=org, county=county)


def list_users(connection: Connection) -> list[Any]:
    """Every user, by username: (username, role, org, active, display_name)."""
    u = schema.users
    return list(
        connection.execute(
            select(u.c.username, u.c.role, u.c.org, u.c.active, u.c.display_name).order_by(
                u.c.username
            )
        )
    )


def disable_user(connection: Connection, username: str, by: str) -> int:
    """Disable `username` and revoke its live tokens; the number of tokens revoked."""
    now = format_utc(utc_now())
    disabled = connection.execute(
        update(schema.users).where(schema.users.c.username == username).values(active=False)
    )
    if disabled.rowcount == 0:
        raise AdminError(f"没有用户 {username!r}", f"no user {username!r}")
    revoked = connection.execute(
        update(schema.tokens)
        .where(schema.tokens.c.username == username, schema.tokens.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    connection.execute(
        insert(schema.audit).values(at=now, username=by, action="user_disable", detail=username)
    )
    return revoked.rowcount


def upsert_enterprises(connection: Connection, enterprises: list[Enterprise]) -> tuple[int, int]:
    """Add the enterprises that are new and update the others; (added, updated)."""
    table = schema.enterprises
    known = set(connection.execute(select(table.c.uscc)).scalars())
    rows = [e.model_dump() for e in {e.uscc: e for e in enterprises}.values()]
    new = [row for row in rows if row["uscc"] not in known]
    old = [row | {"b_uscc": row["uscc"]} for row in rows if row["uscc"] in known]
    if new:
        connection.execute(insert(table), new)
    if old:
        connection.execute(
            update(table)
            .where(table.c.uscc == bindparam("b_uscc"))
            .values(
                name=bindparam("name"),
                industry=bindparam("industry"),
                integration_level=bindparam("integration_level"),
            ),
            old,
        )
    connection.execute(
        insert(schema.audit).values(
            at=format_utc(utc_now()),
            username="cli",
            action="enterprises_import",
            detail=f"{len(new)} added, {len(old)} updated",
        )
    )
    return len(new), len(old)
