"""`chanjiao --self-test`: what IT runs after installing and CI runs on the bundle.

Everything runs in a temporary profile (store, settings, logs and caches in a temporary folder,
removed at the end), offscreen unless `--show` is given, one line per check:

    ✓ form definitions: internship v1, teacher_placement v1, training_base v1
    ✓ store: /tmp/chanjiao-self-test-…/store.sqlite3
    ✗ translations zh_CN: 'Problems' -> 'Problems', expected '问题'
    - main window: no desktop.main_window in this build (skipped)

The checks: form definitions, store, validation, save, a pulled record with a conflict, the
machine-wide settings file, our and Qt's translations, each form's editor, the main window and
every QDialog in desktop.dialogs (constructor arguments filled by name from what the checks
made: store, settings, tasks, record_id, ...). `--report FILE` copies the lines into a file, for
the Windows executable, which has no console. `--screenshots DIR` also saves a PNG of each form's
editor, each page of the main window and every dialog, in Chinese and in English (zh_CN-….png,
en-….png): how the app looks on this machine, with its fonts, for IT to send or a developer to
look at.

The exit status is 0 only when every check passed. `--time-window` only builds and shows the
main window (the first form's editor while the app has no main window), prints one line as soon
as it is on screen and quits: `make package` times that line to measure the window's start.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import os
import pkgutil
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

PASS, FAIL, SKIP = "✓", "✗", "-"
MAIN_WINDOW_MODULE = "desktop.main_window"
DIALOGS_PACKAGE = "desktop.dialogs"
APP_PACKAGE = "desktop"
# Modules that are entry points or demos, not windows of the app: importing one runs it.
_NOT_WINDOWS = frozenset({"desktop.__main__", "desktop.editor_demo", "desktop.self_test"})
# A string every catalog translates, and its Simplified Chinese.
KNOWN_CONTEXT, KNOWN_SOURCE, KNOWN_ZH = "FormEditor", "Problems", "问题"
SELF_TEST_USER = "self-test"
_PROFILE_ENV = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")


class CheckFailed(Exception):
    """A check ran and found something wrong; the message says what."""


class NotInBuild(Exception):
    """What the check needs is not part of this build yet; the check is skipped."""


@dataclass
class Report:
    out: TextIO | None
    copy: TextIO | None = None
    failed: list[str] = field(default_factory=list)

    def line(self, mark: str, name: str, detail: str = "") -> None:
        text = f"{mark} {name}" + (f": {detail}" if detail else "")
        for stream in (self.out, self.copy):
            if stream is not None:
                print(text, file=stream, flush=True)
        if mark == FAIL:
            self.failed.append(name)

    def check(self, name: str, run: Callable[[], str]) -> bool:
        """Run one check; its return value is the detail shown after the mark."""
        try:
            detail = run()
        except NotInBuild as skipped:
            self.line(SKIP, name, f"{skipped} (skipped)")
            return True
        except CheckFailed as failure:
            self.line(FAIL, name, str(failure))
            return False
        except Exception as error:
            self.line(FAIL, name, f"{type(error).__name__}: {error}")
            if self.copy is not None:
                traceback.print_exc(file=self.copy)
            return False
        self.line(PASS, name, detail)
        return True


@dataclass
class Profile:
    """The temporary profile: every file the checks write is under `root`."""

    root: Path

    @property
    def store_file(self) -> Path:
        return self.root / "store.sqlite3"

    @property
    def user_settings(self) -> Path:
        return self.root / "config" / "chanjiao.ini"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def cache(self) -> Path:
        return self.root / "cache"


@contextmanager
def temporary_profile() -> Iterator[Profile]:
    """A fresh folder that the platform's per-user locations point into, then removed."""
    root = Path(tempfile.mkdtemp(prefix="chanjiao-self-test-"))
    saved = {name: os.environ.get(name) for name in _PROFILE_ENV}
    for name in _PROFILE_ENV:
        os.environ[name] = str(root / name.removeprefix("XDG_").removesuffix("_HOME").lower())
    try:
        yield Profile(root)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(root, ignore_errors=True)


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="chanjiao --self-test", description=__doc__)
    parser.add_argument("--self-test", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--show", action="store_true", help="use the display, not offscreen")
    parser.add_argument("--report", type=Path, help="also write the lines to this file")
    parser.add_argument(
        "--time-window", action="store_true", help="show the main window, print a line, quit"
    )
    parser.add_argument(
        "--screenshots",
        type=Path,
        metavar="DIR",
        help="also save a PNG of every window, page and dialog, in Chinese and English",
    )
    args, _unknown = parser.parse_known_args(argv)
    return args


def run_self_test(argv: list[str] | None = None) -> int:
    args = _parse(sys.argv[1:] if argv is None else argv)
    if not args.show:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    out = sys.stdout
    if out is not None and hasattr(out, "reconfigure"):
        # A console in a legacy code page cannot show ✓; a mark replaced by ? still reads.
        out.reconfigure(errors="replace")
    report_file = args.report.open("w", encoding="utf-8") if args.report else None
    report = Report(out, report_file)
    try:
        with temporary_profile() as profile:
            if args.time_window:
                report.check("window shown", lambda: _show_window(profile))
            else:
                _run_checks(report, profile, args.screenshots)
    finally:
        if report_file is not None:
            report_file.close()
    return 1 if report.failed else 0


def _application() -> Any:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else "chanjiao"])
    return app


def _run_checks(report: Report, profile: Profile, screenshots: Path | None = None) -> None:
    import forms
    from desktop.application import start_services
    from desktop.settings import Settings, system_config_path

    registry: list[forms.FormRegistry] = []
    stores: list[Any] = []

    def load_definitions() -> str:
        registry.append(forms.FormRegistry())
        latest = registry[0].latest()
        if not latest:
            raise CheckFailed("no form definitions bundled")
        return ", ".join(f"{form.id} v{form.version}" for form in latest)

    if not report.check("form definitions", load_definitions):
        return

    def open_store() -> str:
        from sync.store import Store

        stores.append(Store.open(profile.store_file, registry[0]))
        return str(profile.store_file)

    report.check("store", open_store)
    report.check("validation", lambda: _validate(registry[0]))
    record_ids: list[str] = []
    if stores:
        report.check("save", lambda: _save(stores[0], registry[0]))
        report.check("pull", lambda: _pull_conflict(stores[0], registry[0], record_ids))

    app = _application()
    settings = Settings(user_file=profile.user_settings, parent=app)
    report.check("machine settings", lambda: _machine_settings(settings, system_config_path()))
    services = start_services(app, settings=settings, log_dir=profile.logs, cache_dir=profile.cache)
    try:
        report.check("translations zh_CN", lambda: _translations(services, "zh_CN", profile.cache))
        report.check("translations en", lambda: _translations(services, "en", profile.cache))
        report.check("Qt translations zh_CN", _qt_translations)
        services.languages.switch_to("zh_CN")
        for form in registry[0].latest():
            report.check(f"form editor {form.id}", lambda form=form: _form_editor(app, form))
        available = _available(services, registry[0], stores[0] if stores else None, profile)
        available["record_id"] = record_ids[0] if record_ids else None
        report.check("main window", lambda: _main_window(app, available))
        if stores and record_ids:
            report.check(
                "print to PDF", lambda: _pdf(stores[0], registry[0], record_ids, profile.root)
            )
        for name, build in _dialogs(available):
            report.check(f"dialog {name}", lambda build=build: _show_and_close(app, build()))
        if _dialogs_missing():
            report.line(SKIP, "dialogs", f"no {DIALOGS_PACKAGE} in this build (skipped)")
        if screenshots is not None:
            for language in ("zh_CN", "en"):
                services.languages.switch_to(language)
                report.check(
                    f"screenshots {language}",
                    lambda language=language: _screenshots(app, available, screenshots, language),
                )
            services.languages.switch_to("zh_CN")
    finally:
        _settle(app)
        services.stop()
        _settle(app)  # removing translators posts a LanguageChange to every widget left
        for store in stores:
            store.close()


def _settle(app: Any) -> None:
    """Deliver what the checks left queued, deletions included, while the store is open."""
    from PySide6.QtCore import QCoreApplication, QEvent

    app.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()


def _validate(registry: Any) -> str:
    import forms

    form = registry.latest()[0]
    issues = forms.validate(form, {})
    if not forms.has_errors(issues):
        raise CheckFailed(f"an empty {form.id} record has no errors")
    return f"an empty {form.id} record has {len(issues)} issues"


def _save(store: Any, registry: Any) -> str:
    from forms import FieldType

    form = registry.latest()[0]
    text_field = next(field for field in form.fields if field.type is FieldType.TEXT)
    saved = store.save(form.id, None, {text_field.name: "自检 self-test"}, user=SELF_TEST_USER)
    read_back = store.get(saved.record_id).fields.get(text_field.name)
    if read_back != "自检 self-test":
        raise CheckFailed(f"saved {text_field.name}, read back {read_back!r}")
    return f"{form.id} record {saved.record_id} saved and read back"


def _pull_conflict(store: Any, registry: Any, record_ids: list[str]) -> str:
    """A record as the hub sends it after a conflicting edit, for the conflict and history
    dialogs; `record_ids` gets its id."""
    import uuid

    from forms import FieldType
    from sync.protocol import Conflict, ConflictField, Record, RecordStatus, utc_now

    form = registry.latest()[0]
    name = next(field.name for field in form.fields if field.type is FieldType.TEXT)
    record_id, now = uuid.uuid4(), utc_now()
    conflict = Conflict(
        id=uuid.uuid4(),
        mutation_id=uuid.uuid4(),
        by=SELF_TEST_USER,
        at=now,
        base_rev=1,
        fields=[ConflictField(path=name, base="甲", mine="乙", theirs="丙")],
    )
    base = {"id": record_id, "form": form.id, "form_version": form.version, "org": "self-test"}
    pulled = [
        Record(
            **base,
            county="000000",
            rev=rev,
            status=RecordStatus.DRAFT,
            fields={name: value},
            conflict=conflict if rev == 2 else None,
            updated_at=now,
            updated_by=SELF_TEST_USER,
        )
        for rev, value in ((1, "甲"), (2, "丙"))
    ]
    for record in pulled:
        store.apply_pull_page([record], cursor=f"self-test-{record.rev}")
    if store.get(str(record_id)).conflict is None:
        raise CheckFailed("a pulled conflict was not kept")
    record_ids.append(str(record_id))
    return f"{form.id} record {record_id} with a conflict on {name}"


def _machine_settings(settings: Any, path: Path) -> str:
    if not path.exists():
        return f"none at {path}"
    from PySide6.QtCore import QSettings

    if QSettings(str(path), QSettings.Format.IniFormat).status() != QSettings.Status.NoError:
        raise CheckFailed(f"cannot read {path}")
    locked = ", ".join(sorted(settings.locked)) or "none"
    return f"{path} (hub {settings.hub_url or 'not set'}; locked: {locked})"


def _translations(services: Any, language: str, cache: Path) -> str:
    from PySide6.QtCore import QCoreApplication

    from desktop.i18n import compiled_catalog

    if compiled_catalog(language, cache) is None:
        raise CheckFailed(f"no catalog for {language}")
    services.languages.switch_to(language)
    translated = QCoreApplication.translate(KNOWN_CONTEXT, KNOWN_SOURCE)
    expected = KNOWN_ZH if language == "zh_CN" else KNOWN_SOURCE
    if translated != expected:
        raise CheckFailed(f"{KNOWN_SOURCE!r} -> {translated!r}, expected {expected!r}")
    return f"{KNOWN_SOURCE!r} -> {translated!r}"


def _qt_translations() -> str:
    from PySide6.QtCore import QLibraryInfo, QTranslator

    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not QTranslator().load("qtbase_zh_CN", folder):
        raise CheckFailed(f"qtbase_zh_CN not in {folder}")
    return f"qtbase_zh_CN from {folder}"


def _show_and_close(app: Any, widget: Any) -> str:
    widget.show()
    app.processEvents()
    if not widget.isVisible():
        raise CheckFailed(f"{type(widget).__name__} did not show")
    widget.close()
    widget.deleteLater()
    app.processEvents()
    return type(widget).__name__


def _form_editor(app: Any, form: Any) -> str:
    from desktop.editor import FormEditor

    editor = FormEditor(form)
    editor.resize(900, 700)
    fields = len(editor.form.fields)
    _show_and_close(app, editor)
    return f"{fields} fields"


def _available(services: Any, registry: Any, store: Any, profile: Profile) -> dict[str, Any]:
    """What a window or dialog may ask for in its constructor, by parameter name."""
    from sync.reports import Targets

    return {
        "services": services,
        "settings": services.settings,
        "languages": services.languages,
        "tasks": services.tasks,
        "registry": registry,
        "forms": registry,
        "store": store,
        # The damaged-data dialog: shown here for a store that is fine, with no backup.
        "data_file": store.path,
        "good_backups": [],
        "profile_dir": profile.root,
        "log_path": services.log_path,
        "log_dir": services.log_path.parent,
        "user": SELF_TEST_USER,
        "username": SELF_TEST_USER,
        "parent": None,
        # The county's dialogs: a comment asked for, and the county's targets.
        "title": "自检 Self-test",
        "explanation": "自检 Self-test",
        "ok_text": "OK",
        "targets": Targets(),
        # The error dialog, as the exception hook shows it.
        "details": "Traceback (self-test)",
    }


def _build(cls: type, available: dict[str, Any]) -> Any:
    """An instance of `cls`, its required parameters filled by name from `available`."""
    kwargs: dict[str, Any] = {}
    for name, parameter in inspect.signature(cls).parameters.items():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        if name in available:
            kwargs[name] = available[name]
        elif parameter.default is parameter.empty:
            raise CheckFailed(f"{cls.__name__} needs {name!r}, which the self-test cannot give")
    return cls(**kwargs)


def _module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as missing:
        if missing.name is not None and name.startswith(missing.name):
            raise NotInBuild(f"no {name} in this build") from None
        raise


def _main_window_class() -> type:
    from PySide6.QtWidgets import QMainWindow

    module = _module(MAIN_WINDOW_MODULE)
    windows = [
        value
        for value in vars(module).values()
        if inspect.isclass(value)
        and issubclass(value, QMainWindow)
        and value.__module__ == module.__name__
    ]
    if not windows:
        raise CheckFailed(f"{MAIN_WINDOW_MODULE} defines no QMainWindow")
    return windows[0]


def _main_window(app: Any, available: dict[str, Any]) -> str:
    """The main window with every page it builds when first shown: each form's list and new
    record, the needs-attention page."""
    window = _build(_main_window_class(), available)
    window.show()
    app.processEvents()
    pages = 0
    for form in available["registry"].latest():
        window.list_page(form.id)
        window.open_record(form.id, None)
        app.processEvents()
        pages += 2
    if window.attention is not None:  # a property: the page is built on first use
        pages += 1
    app.processEvents()
    return f"{_show_and_close(app, window)} and {pages} pages"


def _pdf(store: Any, registry: Any, record_ids: list[str], folder: Path) -> str:
    """One record printed to a PDF file, as "Save as PDF" does without asking where."""
    from desktop.printing import save_pdf

    record = store.get(record_ids[0])
    path = folder / "记录.pdf"
    save_pdf(record, registry.get(record.form), path)
    if not path.read_bytes().startswith(b"%PDF"):
        raise CheckFailed(f"{path} is not a PDF")
    return f"{path.stat().st_size:,} bytes"


def _screenshots(app: Any, available: dict[str, Any], folder: Path, language: str) -> str:
    """A PNG of each form's editor with its messages, each page of the main window and every
    dialog, as `folder`/`language`-name.png."""
    from desktop.editor import FormEditor

    folder.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []

    def grab(widget: Any, name: str) -> None:
        app.processEvents()
        path = folder / f"{language}-{name}.png"
        if not widget.grab().save(str(path)):
            raise CheckFailed(f"cannot write {path}")
        saved.append(path)

    for form in available["registry"].latest():
        editor = FormEditor(form)
        editor.resize(1000, 760)
        editor.show()
        grab(editor, f"editor-{form.id}")
        editor.close()
        editor.deleteLater()
    record_id = available["record_id"]  # the pulled record with a conflict
    record_form = available["store"].get(record_id).form if record_id else None
    window = _build(_main_window_class(), available)
    window.resize(1300, 820)
    window.show()
    grab(window, "main-home")
    for form in available["registry"].latest():
        window.list_page(form.id)
        window.show_page(form.id)
        grab(window, f"main-list-{form.id}")
        window.open_record(form.id, record_id if form.id == record_form else None)
        grab(window, f"main-record-{form.id}")
    window.show_page("attention")
    grab(window, "main-attention")
    window.close()
    window.deleteLater()
    for name, build in _dialogs(available):
        dialog = build()
        dialog.show()
        grab(dialog, f"dialog-{name}")
        dialog.close()
        dialog.deleteLater()
    _settle(app)
    return f"{len(saved)} in {folder}"


def _dialogs_missing() -> bool:
    try:
        _module(DIALOGS_PACKAGE)
    except NotInBuild:
        return True
    return False


def _dialogs(available: dict[str, Any]) -> Iterator[tuple[str, Callable[[], Any]]]:
    """Every QDialog class (message boxes included) defined anywhere in the app's package, the
    county workspace's and the error dialog too, with its builder."""
    from PySide6.QtWidgets import QDialog

    try:
        _module(DIALOGS_PACKAGE)
        package = _module(APP_PACKAGE)
    except NotInBuild:
        return
    modules = [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(getattr(package, "__path__", []), f"{APP_PACKAGE}.")
        if info.name not in _NOT_WINDOWS
    ]
    for module in modules:
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, QDialog)
                and value.__module__ == module.__name__
            ):
                yield value.__name__, lambda cls=value: _build(cls, available)


def _show_window(profile: Profile) -> str:
    """Show the main window as the app would and report once it is exposed on screen."""
    import time

    import forms
    from desktop.application import start_services
    from desktop.settings import Settings
    from sync.store import Store

    app = _application()
    settings = Settings(user_file=profile.user_settings, parent=app)
    services = start_services(app, settings=settings, log_dir=profile.logs, cache_dir=profile.cache)
    registry = forms.FormRegistry()
    store = Store.open(profile.store_file, registry)
    try:
        try:
            window = _build(_main_window_class(), _available(services, registry, store, profile))
            what = "main window"
        except NotInBuild:
            from desktop.editor import FormEditor

            window = FormEditor(registry.latest()[0])
            what = "form editor (no main window in this build)"
        window.resize(1100, 750)
        window.show()
        handle = window.windowHandle()
        deadline = time.monotonic() + 10
        while not (handle is not None and handle.isExposed()) and time.monotonic() < deadline:
            app.processEvents()
            handle = window.windowHandle()
        if handle is None or not handle.isExposed():
            raise CheckFailed(f"the {what} was not exposed within 10 s")
        window.close()
        window.deleteLater()
        return what
    finally:
        _settle(app)
        services.stop()
        _settle(app)
        store.close()
