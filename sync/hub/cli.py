"""`chanjiao-hub`: run and manage the hub.

    chanjiao-hub serve   [--db URL] [--host H] [--port P] [--workers N]
    chanjiao-hub migrate [--db URL]
    chanjiao-hub add-org  --code C --name N --kind county|school [--county C] [--school-kind K]
    chanjiao-hub add-user --username U --role school|county|admin --org C
                          [--display-name N] (--password P | --password-stdin)
    chanjiao-hub import-reference PATH
    chanjiao-hub publish-form PATH
    chanjiao-hub maintenance on|off
    chanjiao-hub demo [--host H] [--port P] [--db URL]

`--db` defaults to $CHANJIAO_HUB_DB, then to the SQLite file `chanjiao-hub.sqlite3` here;
`postgresql://user@host/db` selects PostgreSQL. Exit status: 0 done, 1 refused (an unknown org,
a user that exists), 2 wrong arguments.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import uvicorn
from argon2 import PasswordHasher
from pydantic import ValidationError
from uvicorn.supervisors import Multiprocess

import forms
from sync.hub.app import DB_ENV, create_app, open_hub
from sync.hub.auth import AdminError, add_org, add_user, import_reference
from sync.hub.database import Database
from sync.hub.demo import seed_demo
from sync.hub.service import publish_form, set_maintenance
from sync.protocol import ReferenceResponse, Role

DEFAULT_DB = "sqlite:///chanjiao-hub.sqlite3"
LOOPBACK = "127.0.0.1"
# Longer than a client's own idle limit (httpx: 5 s), so the hub never closes a connection just as
# a client sends on it (which the client sees as a dropped request).
KEEP_ALIVE_SECONDS = 75


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chanjiao-hub", description="The Chanjiao Collect sync hub."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str, db: bool = True) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        if db:
            sub.add_argument(
                "--db",
                default=os.environ.get(DB_ENV, DEFAULT_DB),
                help="database URL (default: $CHANJIAO_HUB_DB or %(default)s)",
            )
        return sub

    serve = command("serve", "Serve the sync API.")
    serve.add_argument("--host", default=LOOPBACK, help="address to listen on (%(default)s)")
    serve.add_argument("--port", type=int, default=8000, help="port (%(default)s)")
    serve.add_argument("--workers", type=_positive, default=1, help="processes (%(default)s)")

    command("migrate", "Create the database schema or bring it up to date.")

    org = command("add-org", "Add a county or a school.")
    org.add_argument("--code", required=True, help="county: 6-digit division code")
    org.add_argument("--name", required=True)
    org.add_argument("--kind", required=True, choices=["county", "school"])
    org.add_argument("--county", help="a school's county code")
    org.add_argument(
        "--school-kind",
        choices=["secondary_vocational", "higher_vocational", "technician", "undergraduate"],
    )

    user = command("add-user", "Add a user with a password.")
    user.add_argument("--username", required=True)
    user.add_argument("--role", required=True, choices=[r.value for r in Role])
    user.add_argument("--org", required=True, help="the school's or county's code")
    user.add_argument("--display-name")
    secret = user.add_mutually_exclusive_group(required=True)
    secret.add_argument("--password")
    secret.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )

    reference = command(
        "import-reference",
        "Add orgs and enterprises from a JSON file shaped like GET /reference "
        '({"orgs": [...], "enterprises": [...]}); enterprises already known are updated.',
    )
    reference.add_argument("path", type=Path)

    publish = command("publish-form", "Publish a new form definition version.")
    publish.add_argument("path", type=Path, help="the definition's JSON file")

    maintenance = command("maintenance", "Answer 503 to clients while on.")
    maintenance.add_argument("state", choices=["on", "off"])

    demo = command("demo", "Serve a demo hub with sample data and print its logins.", db=False)
    demo.add_argument("--host", default=LOOPBACK, help="address to listen on (%(default)s)")
    demo.add_argument("--port", type=int, default=8765, help="port (%(default)s)")
    demo.add_argument("--db", help="database URL (default: a new temporary SQLite file)")
    return parser


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except AdminError as error:
        print(f"chanjiao-hub: {error}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    if args.command == "serve":
        return _serve(args.db, args.host, args.port, args.workers)
    if args.command == "demo":
        return _demo(args.db, args.host, args.port)
    db = Database(args.db)
    try:
        applied = db.migrate()
        if args.command == "migrate":
            print(f"schema up to date ({', '.join(map(str, applied)) or 'nothing to apply'})")
        elif args.command == "add-org":
            db.write(
                lambda c: add_org(c, args.code, args.name, args.kind, args.county, args.school_kind)
            )
            print(f"added {args.kind} {args.code} {args.name}")
        elif args.command == "add-user":
            password = sys.stdin.readline().rstrip("\n") if args.password_stdin else args.password
            if not password:
                raise AdminError("the password is empty")
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
            print(f"added {user.role} user {user.username} of {user.org}")
        elif args.command == "import-reference":
            try:
                data = ReferenceResponse.model_validate_json(args.path.read_bytes())
            except (OSError, ValidationError) as error:
                raise AdminError(f"cannot read {args.path}: {error}") from None
            db.write(lambda c: import_reference(c, data))
            print(f"imported {len(data.orgs)} orgs and {len(data.enterprises)} enterprises")
        elif args.command == "publish-form":
            try:
                definition = forms.load_definition(args.path)
                publish_form(db, definition)
            except (forms.DefinitionError, ValueError) as error:
                raise AdminError(str(error)) from None
            print(f"published {definition.id} version {definition.version}")
        elif args.command == "maintenance":
            set_maintenance(db, args.state == "on")
            print(f"maintenance {args.state}")
    finally:
        db.dispose()
    return 0


def _serve(url: str, host: str, port: int, workers: int) -> int:
    if workers == 1:
        uvicorn.run(
            create_app(open_hub(url)),
            host=host,
            port=port,
            log_level="info",
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
        )
        return 0
    Database(url).migrate()  # once, before the workers start
    os.environ[DB_ENV] = url
    config = uvicorn.Config(
        "sync.hub.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
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


def _demo(url: str | None, host: str, port: int) -> int:
    with tempfile.TemporaryDirectory(prefix="chanjiao-demo-") as scratch:
        hub = open_hub(url or str(Path(scratch) / "demo-hub.sqlite3"))
        logins = seed_demo(hub)
        print(f"Chanjiao Collect demo hub: http://{host}:{port}/api/v1  (Ctrl+C stops it)")
        print("登录 Logins:")
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
            log_level="warning",
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
        )
        hub.db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
