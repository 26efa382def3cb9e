"""`chanjiao-hub`: run and manage the hub.

    chanjiao-hub init
    chanjiao-hub org add CODE NAME --kind county|school [--county COUNTY_CODE] [--school-kind K]
    chanjiao-hub user add USERNAME --role school|county|admin --org CODE [--display-name N]
                          [--password-stdin]
    chanjiao-hub user list
    chanjiao-hub user disable USERNAME
    chanjiao-hub serve [--host 127.0.0.1] [--port 8765] [--workers N] [--token-days DAYS]
    chanjiao-hub demo [--host 127.0.0.1] [--port 8765]
    chanjiao-hub form publish FILE
    chanjiao-hub enterprises import FILE.csv|FILE.xlsx
    chanjiao-hub backup DEST
    chanjiao-hub maintenance on|off

Every command takes `--db`, before or after the command's name: a file path, `sqlite:///path` or
`postgresql://...`; it defaults to $CHANJIAO_HUB_DB, then to `hub.sqlite3` in the platform's data
directory for chanjiao-hub (demo: a new temporary file). Only init, serve and demo create a
database; the other commands refuse one that does not exist yet (a mistyped --db).

Messages and help are in Chinese, or in English when the locale ($LC_ALL, $LC_MESSAGES, $LANG)
is English (sync.console).

Exit status: 0 done; 1 refused (an unknown org, a user that exists, a file that cannot be read,
no hub database) or failed (the database unreachable, a disk error); 2 wrong arguments or values.
Either way one line on stderr; serve and demo also log a failure, with its detail and time.
"""

from __future__ import annotations

import argparse
import copy
import csv
import datetime
import getpass
import logging
import logging.config
import os
import re
import shlex
import socket
import sqlite3
import sys
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any, NoReturn

import openpyxl
import platformdirs
import uvicorn
import uvicorn.config
from argon2 import PasswordHasher
from openpyxl.utils.exceptions import InvalidFileException
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from uvicorn.supervisors import Multiprocess

import forms
from sync.console import Bilingual, pick
from sync.hub import schema
from sync.hub.app import DB_ENV, TOKEN_DAYS_ENV, create_app, open_hub, serving_process_gc
from sync.hub.auth import (
    DEFAULT_TOKEN_LIFETIME,
    AdminError,
    add_org,
    add_user,
    disable_user,
    list_users,
    upsert_enterprises,
)
from sync.hub.database import Database, DatabaseURLError, normalize_url
from sync.hub.demo import seed_demo
from sync.hub.service import publish_form, set_maintenance
from sync.protocol import Enterprise, Role

log = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 8765
# Longer than a client's own idle limit (httpx: 5 s), so the hub never closes a connection just as
# a client sends on it (which the client sees as a dropped request).
KEEP_ALIVE_SECONDS = 75
ORG_KINDS = ["county", "school"]
SCHOOL_KINDS = ["secondary_vocational", "higher_vocational", "technician", "undergraduate"]
# Enterprise list columns: the accepted headers (Chinese or English) of each field.
ENTERPRISE_HEADERS = {
    "uscc": ("统一社会信用代码", "uscc"),
    "name": ("企业名称", "name"),
    "industry": ("行业", "industry"),
    "integration_level": ("产教融合型企业级别", "integration_level"),
}


class UsageError(Bilingual):
    """Wrong arguments found after parsing (exit status 2)."""


class Failure(Bilingual):
    """A command that failed for a reason outside it: the database unreachable or failing, a disk
    (exit status 1). Raised from the error that says why, which serve and demo log."""


# argparse's own messages, which Python ships in English only, in Chinese: (pattern, Chinese).
_ARGPARSE_ZH = [
    (re.compile(r"the following arguments are required: (.*)"), r"缺少参数：\1"),
    (re.compile(r"unrecognized arguments: (.*)"), r"无法识别的参数：\1"),
    (
        re.compile(r"argument (.*?): invalid choice: (.*) \(choose from (.*)\)"),
        r"参数 \1 的值 \2 无效，可选：\3",
    ),
    (re.compile(r"argument (.*?): expected one argument"), r"参数 \1 需要一个值"),
    (re.compile(r"argument (.*?): invalid (.*) value: (.*)"), r"参数 \1 的值 \3 无效"),
    (re.compile(r"argument (.*?): (.*)"), r"参数 \1：\2"),
]


def _argparse_message(message: str) -> str:
    if pick("zh", "en") == "en":
        return message
    for pattern, chinese in _ARGPARSE_ZH:
        if pattern.fullmatch(message):
            return pattern.sub(chinese, message)
    return message


class _HelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        # argparse passes prefix "" when it builds a subcommand's name from the usage.
        if prefix is None:
            prefix = pick("用法：", "usage: ")
        super().add_usage(usage, actions, groups, prefix)


class _Parser(argparse.ArgumentParser):
    """argparse in the environment's language: its headings, its -h and its errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = pick("位置参数", "positional arguments")
        self._optionals.title = pick("选项", "options")
        self.add_argument(
            "-h",
            "--help",
            action="help",
            default=argparse.SUPPRESS,
            help=pick("显示此帮助并退出", "show this help message and exit"),
        )

    def error(self, message: str) -> NoReturn:
        """One line, not argparse's usage block."""
        see = pick(f"（参见 {self.prog} --help）", f" (see {self.prog} --help)")
        self.exit(2, f"{self.prog}: {_argparse_message(message)}{see}\n")


def _db_help() -> str:
    return pick(
        "数据库：文件路径、sqlite:///路径 或 postgresql://...（默认：$CHANJIAO_HUB_DB，"
        "否则为平台数据目录下的 hub.sqlite3）",
        "database: a file, sqlite:///path or postgresql://... "
        "(default: $CHANJIAO_HUB_DB, else hub.sqlite3 in the platform data directory)",
    )


def default_db() -> str:
    """$CHANJIAO_HUB_DB, else hub.sqlite3 in the platform data directory."""
    env = os.environ.get(DB_ENV)
    if env:
        return env
    return str(Path(platformdirs.user_data_dir("chanjiao-hub", appauthor=False)) / "hub.sqlite3")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="chanjiao-hub",
        description=pick("产教融合数据采集的中心服务器。", "The Chanjiao Collect sync hub."),
    )
    db_help = _db_help()
    parser.add_argument("--db", default=None, help=db_help)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(
        group: argparse._SubParsersAction[_Parser], name: str, help_text: str, db: bool = True
    ) -> argparse.ArgumentParser:
        sub = group.add_parser(name, help=help_text, description=help_text)
        if db:
            # SUPPRESS: when not given here, the one given before the command stands.
            sub.add_argument("--db", default=argparse.SUPPRESS, help=db_help)
        return sub

    def group(name: str, help_text: str) -> argparse._SubParsersAction[_Parser]:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        return sub.add_subparsers(dest="action", required=True, metavar="ACTION")

    command(
        commands,
        "init",
        pick(
            "创建数据库结构，或将其升级到最新。",
            "Create the database schema or bring it up to date.",
        ),
    )

    org_add = command(
        group("org", pick("县区和学校。", "Counties and schools.")),
        "add",
        pick("添加一个县区或学校。", "Add a county or a school."),
    )
    org_add.add_argument(
        "code",
        metavar="CODE",
        help=pick("县区的 6 位行政区划代码，或学校代码", "a county's 6-digit division code"),
    )
    org_add.add_argument("name", metavar="NAME")
    org_add.add_argument("--kind", required=True, choices=ORG_KINDS)
    org_add.add_argument(
        "--county", metavar="COUNTY_CODE", help=pick("学校所属县区的代码", "a school's county code")
    )
    org_add.add_argument("--school-kind", choices=SCHOOL_KINDS)

    users = group("user", pick("用户及其登录。", "Users and their logins."))
    user_add = command(
        users,
        "add",
        pick(
            "添加用户；除非使用 --password-stdin，否则要求输入两次密码。",
            "Add a user; the password is asked for twice unless --password-stdin.",
        ),
    )
    user_add.add_argument("username", metavar="USERNAME")
    user_add.add_argument("--role", required=True, choices=[r.value for r in Role])
    user_add.add_argument(
        "--org", required=True, metavar="CODE", help=pick("所属学校或县区", "the school or county")
    )
    user_add.add_argument("--display-name", help=pick("显示名称", "the name shown to others"))
    user_add.add_argument(
        "--password-stdin",
        action="store_true",
        help=pick("从标准输入读取密码", "read the password from standard input"),
    )
    command(users, "list", pick("列出用户。", "List the users."))
    user_disable = command(
        users, "disable", pick("停用用户并吊销其令牌。", "Disable a user and revoke its tokens.")
    )
    user_disable.add_argument("username", metavar="USERNAME")

    host_help = pick("监听地址（%(default)s）", "address to listen on (%(default)s)")
    port_help = pick("端口（%(default)s）", "port (%(default)s)")
    serve = command(commands, "serve", pick("提供同步接口服务。", "Serve the sync API."))
    serve.add_argument("--host", default=LOOPBACK, help=host_help)
    serve.add_argument("--port", type=_port, default=DEFAULT_PORT, help=port_help)
    serve.add_argument(
        "--workers",
        type=_positive,
        default=1,
        help=pick("进程数（%(default)s）", "processes (%(default)s)"),
    )
    serve.add_argument(
        "--token-days",
        type=_positive,
        default=None,
        help=pick(
            "登录令牌的有效天数（默认：$CHANJIAO_HUB_TOKEN_DAYS，否则 30）",
            "days a login token lasts (default: $CHANJIAO_HUB_TOKEN_DAYS, else 30)",
        ),
    )

    demo = command(
        commands,
        "demo",
        pick(
            "用示例数据运行演示服务器，并列出其登录账号。",
            "Serve a demo hub with sample data and print its logins.",
        ),
        db=False,
    )
    demo.add_argument("--host", default=LOOPBACK, help=host_help)
    demo.add_argument("--port", type=_port, default=DEFAULT_PORT, help=port_help)
    demo.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        help=pick(
            "数据库（默认：新建一个临时 SQLite 文件）",
            "database (default: a new temporary SQLite file)",
        ),
    )

    form_publish = command(
        group("form", pick("表单定义。", "Form definitions.")),
        "publish",
        pick("校验并发布表单的新版本。", "Validate and publish a new form version."),
    )
    form_publish.add_argument(
        "file",
        metavar="FILE",
        type=Path,
        help=pick("表单定义的 JSON 文件", "the definition's JSON"),
    )

    enterprises_import = command(
        group("enterprises", pick("企业参考名录。", "The enterprise reference list.")),
        "import",
        pick(
            "从 CSV 或 XLSX 文件添加或更新企业，列为 统一社会信用代码/uscc、企业名称/name、"
            "行业/industry、产教融合型企业级别/integration_level。",
            "Add or update enterprises from a CSV or XLSX file with the columns "
            "统一社会信用代码/uscc, 企业名称/name, 行业/industry, "
            "产教融合型企业级别/integration_level.",
        ),
    )
    enterprises_import.add_argument("file", metavar="FILE", type=Path)

    backup = command(
        commands,
        "backup",
        pick(
            "将 SQLite 数据库复制到 DEST；PostgreSQL 则打印应使用的 pg_dump 命令。",
            "Copy a SQLite database to DEST; for PostgreSQL, print the pg_dump command to use.",
        ),
    )
    backup.add_argument("dest", metavar="DEST", type=Path)

    maintenance = command(
        commands,
        "maintenance",
        pick("维护模式：开启期间对客户端回答 503。", "Answer 503 to clients while on."),
    )
    maintenance.add_argument("state", choices=["on", "off"])
    return parser


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            pick(f"不是整数：{value!r}", f"not a whole number: {value!r}")
        ) from None
    if number < 1:
        raise argparse.ArgumentTypeError(pick("至少为 1", "must be at least 1"))
    return number


def _port(value: str) -> int:
    number = _positive(value)
    if number > 65535:
        raise argparse.ArgumentTypeError(pick("端口最大为 65535", "a port is at most 65535"))
    return number


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except (UsageError, DatabaseURLError) as error:
        print(f"chanjiao-hub: {error}", file=sys.stderr)
        return 2
    except (AdminError, Failure) as error:
        print(f"chanjiao-hub: {error}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    serving = args.command in ("serve", "demo")
    if serving:
        # Before the database is opened, so a failure to open it is in the log too.
        logging.config.dictConfig(log_config())
    url = args.db or ("" if args.command == "demo" else default_db())
    try:
        return _command(args, url)
    except DBAPIError as error:
        reason = _reason(error)  # the driver's words, in its own language
        failure = Failure(f"数据库 {_shown(url)}：{reason}", f"database {_shown(url)}: {reason}")
        failure.__cause__ = error
    except Failure as raised:
        failure = raised
    if serving:
        # The cause in full (all the driver said), without a traceback of SQLAlchemy's insides
        # that would bury it.
        log.error("chanjiao-hub %s failed: %s", args.command, failure.__cause__ or failure)
    raise failure


def _command(args: argparse.Namespace, url: str) -> int:
    if args.command == "demo":
        return _demo(url or None, args.host, args.port)
    if args.command == "serve":
        return _serve(url, args.host, args.port, args.workers, args.token_days)
    if args.command == "backup":
        return _backup(url, args.dest)
    adding_user = (args.command, getattr(args, "action", None)) == ("user", "add")
    password = _password(args) if adding_user else ""
    rows = _enterprise_rows(args.file) if args.command == "enterprises" else []
    db = _open(url, create=args.command == "init")
    try:
        applied = db.migrate()
        if args.command == "init":
            done = ", ".join(map(str, applied))
            print(
                pick(
                    f"数据库结构已是最新（{done or '无需升级'}）",
                    f"schema up to date ({done or 'nothing to apply'})",
                )
            )
        elif args.command == "org":
            db.write(
                lambda c: add_org(c, args.code, args.name, args.kind, args.county, args.school_kind)
            )
            kind = pick({"county": "县区", "school": "学校"}[args.kind], args.kind)
            print(
                pick(
                    f"已添加{kind} {args.code} {args.name}", f"added {kind} {args.code} {args.name}"
                )
            )
        elif args.command == "user":
            _user(db, args, password)
        elif args.command == "form":
            try:
                definition = forms.load_definition(args.file)
                publish_form(db, definition)
            except (forms.DefinitionError, ValueError, OSError) as error:
                raise AdminError(
                    f"无法发布 {args.file}：{error}", f"cannot publish {args.file}: {error}"
                ) from None
            print(
                pick(
                    f"已发布 {definition.id} 第 {definition.version} 版",
                    f"published {definition.id} version {definition.version}",
                )
            )
        elif args.command == "enterprises":
            added, updated = db.write(lambda c: upsert_enterprises(c, rows))
            print(
                pick(
                    f"企业名录：从 {args.file} 新增 {added} 家，更新 {updated} 家",
                    f"enterprises: {added} added, {updated} updated from {args.file}",
                )
            )
        elif args.command == "maintenance":
            set_maintenance(db, args.state == "on")
            print(
                pick(
                    f"维护模式已{'开启' if args.state == 'on' else '关闭'}",
                    f"maintenance {args.state}",
                )
            )
    finally:
        db.dispose()
    return 0


def _shown(url: str) -> str:
    """The database as the user named it, without its password."""
    if "://" not in url:
        return url
    return make_url(url).render_as_string(hide_password=True)


def _reason(error: DBAPIError) -> str:
    """The first line of what the database driver said: the rest, and SQLAlchemy's own text
    around it, go to the log."""
    lines = str(error.orig).strip().splitlines()
    return lines[0] if lines else type(error.orig).__name__


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(normalize_url(url))
    return Path(parsed.database or "") if parsed.get_backend_name() == "sqlite" else None


def _no_database(url: str) -> AdminError:
    return AdminError(
        f"{_shown(url)} 没有中心服务器数据库：请先运行 chanjiao-hub init",
        f"no hub database at {_shown(url)}: run chanjiao-hub init first",
    )


def _open(url: str, *, create: bool) -> Database:
    """The hub database at `url`. Unless `create`, one that does not exist yet is refused rather
    than made: a mistyped --db would otherwise list no users from a new empty database."""
    sqlite_file = _sqlite_file(url)
    if not create and sqlite_file is not None and not sqlite_file.is_file():
        raise _no_database(url)
    try:
        db = Database(url)
    except OSError as error:  # the SQLite file's directory could not be made
        raise Failure(
            f"无法在 {_shown(url)} 创建数据库：{error}",
            f"cannot create the database at {_shown(url)}: {error}",
        ) from error
    if not create:
        try:
            with db.read() as connection:
                version = schema.current_version(connection)
        except BaseException:
            db.dispose()
            raise
        if version is None:
            db.dispose()
            raise _no_database(url)
    return db


def _user(db: Database, args: argparse.Namespace, password: str) -> None:
    if args.action == "add":
        user = db.write(
            lambda c: add_user(
                c,
                PasswordHasher(),
                args.username,
                password,
                Role(args.role),
                args.org,
                args.display_name,
            )
        )
        print(
            pick(
                f"已添加 {user.org} 的 {user.role} 用户 {user.username}",
                f"added {user.role} user {user.username} of {user.org}",
            )
        )
    elif args.action == "list":
        with db.read() as connection:
            users = list_users(connection)
        yes, no = pick("是", "yes"), pick("否", "no")
        table = [
            (
                pick("用户名", "username"),
                pick("角色", "role"),
                pick("机构", "org"),
                pick("已停用", "disabled"),
                pick("显示名称", "display name"),
            )
        ]
        table += [
            (u.username, u.role, u.org, no if u.active else yes, u.display_name) for u in users
        ]
        widths = [max(_columns(row[i]) for row in table) for i in range(4)]
        for row in table:
            padded = [
                cell + " " * (width - _columns(cell))
                for cell, width in zip(row[:4], widths, strict=True)
            ]
            print("  ".join([*padded, row[4]]))
    elif args.action == "disable":
        revoked = db.write(lambda c: disable_user(c, args.username, "cli"))
        print(f"disabled {args.username}; {revoked} token(s) revoked")


def _columns(text: str) -> int:
    """How many terminal columns `text` takes: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _password(args: argparse.Namespace) -> str:
    """The new user's password: from stdin, or asked for twice on a terminal."""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = getpass.getpass(
            pick(f"{args.username} 的密码：", f"Password for {args.username}: ")
        )
        if getpass.getpass(pick("再输入一次密码：", "Repeat the password: ")) != password:
            raise AdminError("两次输入的密码不一致", "the passwords differ")
    else:
        raise UsageError(
            "没有可输入密码的终端：请使用 --password-stdin",
            "no terminal to ask for the password on: use --password-stdin",
        )
    if not password:
        raise AdminError("密码为空", "the password is empty")
    return password


def _enterprise_rows(path: Path) -> list[Enterprise]:
    """The valid rows of an enterprise list; each invalid row is reported on stderr."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise UsageError(
            f"{path}：企业名录须是 .csv 或 .xlsx 文件",
            f"{path}: an enterprise list is a .csv or .xlsx file",
        )
    try:
        table: list[list[object]] = list(_csv_rows(path) if suffix == ".csv" else _xlsx_rows(path))
    except (OSError, ValueError, csv.Error, zipfile.BadZipFile, InvalidFileException) as error:
        raise AdminError(f"无法读取 {path}：{error}", f"cannot read {path}: {error}") from None
    if not table:
        raise AdminError(f"{path} 是空的", f"{path} is empty")
    header = [str(cell or "").strip().lower() for cell in table[0]]
    columns: dict[str, int] = {}
    for field, names in ENTERPRISE_HEADERS.items():
        found = [i for i, cell in enumerate(header) if cell in names]
        if found:
            columns[field] = found[0]
    missing = [ENTERPRISE_HEADERS[f][0] for f in ("uscc", "name") if f not in columns]
    if missing:
        raise AdminError(
            f"{path}：第一行没有 {' 或 '.join(missing)} 列",
            f"{path}: no column {' or '.join(missing)} in the first row",
        )
    enterprises = []
    skipped = 0
    for number, row in enumerate(table[1:], start=2):
        values = {
            field: str(row[i]).strip() if i < len(row) and row[i] is not None else ""
            for field, i in columns.items()
        }
        if not any(values.values()):
            continue
        uscc = values["uscc"].upper()
        if not forms.is_uscc(uscc):
            uscc_shown = repr(values["uscc"])
            print(
                pick(
                    f"第 {number} 行：统一社会信用代码 {uscc_shown} 无效，已跳过",
                    f"row {number}: invalid USCC {uscc_shown}, skipped",
                ),
                file=sys.stderr,
            )
            skipped += 1
        elif not values["name"]:
            print(
                pick(
                    f"第 {number} 行：没有企业名称，已跳过",
                    f"row {number}: no enterprise name, skipped",
                ),
                file=sys.stderr,
            )
            skipped += 1
        else:
            enterprises.append(
                Enterprise(
                    uscc=uscc,
                    name=values["name"],
                    industry=values.get("industry") or None,
                    integration_level=values.get("integration_level") or None,
                )
            )
    print(
        pick(
            f"{path}：有效 {len(enterprises)} 行，跳过 {skipped} 行",
            f"{path}: {len(enterprises)} valid rows, {skipped} skipped",
        )
    )
    return enterprises


def _csv_rows(path: Path) -> Iterator[list[object]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        yield from csv.reader(file)


def _xlsx_rows(path: Path) -> Iterator[list[object]]:
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for row in workbook.active.iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def _backup(url: str, dest: Path) -> int:
    parsed = make_url(normalize_url(url))
    if parsed.get_backend_name() != "sqlite":
        target = parsed.set(drivername="postgresql").render_as_string(hide_password=True)
        print(f"pg_dump --format=custom --file={shlex.quote(str(dest))} {shlex.quote(target)}")
        return 0
    source = Path(parsed.database or "")
    if not source.is_file():
        raise _no_database(url)
    if dest.exists():
        raise AdminError(f"{dest} 已存在", f"{dest} exists already")
    try:
        with closing(sqlite3.connect(source)) as origin, closing(sqlite3.connect(dest)) as copy:
            origin.backup(copy)
    except sqlite3.Error as error:
        raise Failure(
            f"无法将 {source} 备份到 {dest}：{error}", f"cannot back up {source} to {dest}: {error}"
        ) from error
    print(pick(f"已将 {source} 备份到 {dest}", f"backed up {source} to {dest}"))
    return 0


def _token_days(given: int | None) -> int | None:
    """--token-days, else $CHANJIAO_HUB_TOKEN_DAYS checked here (the workers read it again)."""
    if given is not None:
        return given
    env = os.environ.get(TOKEN_DAYS_ENV, "").strip()
    if not env:
        return None
    try:
        return _positive(env)
    except argparse.ArgumentTypeError as error:
        raise UsageError(f"${TOKEN_DAYS_ENV}：{error}", f"${TOKEN_DAYS_ENV}: {error}") from None


def _serve(url: str, host: str, port: int, workers: int, token_days: int | None) -> int:
    days = _token_days(token_days)
    token_lifetime = DEFAULT_TOKEN_LIFETIME
    if days is not None:
        os.environ[TOKEN_DAYS_ENV] = str(days)
        token_lifetime = datetime.timedelta(days=days)
    db = _open(url, create=True)
    try:
        db.migrate()  # once, before any worker starts
    finally:
        db.dispose()
    if workers == 1:
        app = create_app(open_hub(url, token_lifetime=token_lifetime))
        serving_process_gc()
        uvicorn.run(
            app,
            host=host,
            port=port,
            log_config=log_config(),
            log_level="info",
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
        )
        return 0
    os.environ[DB_ENV] = url
    config = uvicorn.Config(
        "sync.hub.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=log_config(),
        log_level="info",
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        # A worker busy with a long batch must not be taken for hung and killed.
        timeout_worker_healthcheck=60,
    )
    Multiprocess(config, sockets=[_listening_socket(host, port)]).run()
    return 0


def _listening_socket(host: str, port: int) -> socket.socket:
    """The socket the workers share, made as TCP explicitly: uvicorn's own has protocol 0, so
    asyncio leaves Nagle's algorithm on for its connections and every keep-alive answer waits
    ~40 ms for a delayed ACK."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.set_inheritable(True)
    return listener


def log_config() -> dict[str, Any]:
    """Logging of serve and demo (a `logging.config.dictConfig` dict, which uvicorn applies in
    each worker): uvicorn's own, and the hub's (`sync.hub`: rejected mutations at INFO, every
    refused request at WARNING), each line with its time and level."""
    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    formatters = config["formatters"]
    for formatter in formatters.values():
        formatter["fmt"] = "%(asctime)s " + formatter["fmt"]
    formatters["hub"] = formatters["default"] | {
        "fmt": "%(asctime)s %(levelprefix)s %(name)s: %(message)s"
    }
    config["handlers"]["hub"] = config["handlers"]["default"] | {"formatter": "hub"}
    config["loggers"]["sync.hub"] = {"handlers": ["hub"], "level": "INFO", "propagate": False}
    return config


def _demo(url: str | None, host: str, port: int) -> int:
    with tempfile.TemporaryDirectory(prefix="chanjiao-demo-") as scratch:
        url = url or str(Path(scratch) / "demo-hub.sqlite3")
        _open(url, create=True).dispose()
        hub = open_hub(url)
        logins = seed_demo(hub)
        address = f"http://{host}:{port}/api/v1"
        print(
            pick(
                f"产教融合数据采集演示服务器：{address}（按 Ctrl+C 停止）",
                f"Chanjiao Collect demo hub: {address}  (Ctrl+C stops it)",
            )
        )
        print(pick("登录账号：", "Logins:"))
        for login in logins:
            print(
                f"  {login.username:<8} {login.password}  {login.role.value:<6} "
                f"{login.org} {login.org_name}"
            )
        sys.stdout.flush()
        uvicorn.run(
            create_app(hub),
            host=host,
            port=port,
            log_config=log_config(),
            log_level="warning",
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
        )
        hub.db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
