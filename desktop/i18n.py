"""The UI language: Qt Linguist catalogs for our strings and Qt's own, switched live.

Source strings are English in the code (`self.tr`, `QCoreApplication.translate`); Simplified
Chinese is the default language. `.ts` files under `desktop/translations/` are the sources; the
`.qm` catalogs Qt loads are built from them by lrelease, either by the packaging build (next to
the `.ts`) or at start into a cache folder, so a fresh checkout runs without committed `.qm`.
Form labels and validation messages are not here: they come from the form definitions.

    python -m desktop.i18n update   # re-scan desktop/ with lupdate, keep existing translations
    python -m desktop.i18n build    # compile every .ts to .qm beside it
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import PySide6
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

TRANSLATIONS_DIR = Path(__file__).parent / "translations"
DESKTOP_DIR = Path(__file__).parent
DEFAULT_LANGUAGE = "zh_CN"
# Each language's name is written in that language, so a user who cannot read the current UI
# language still finds their own.
LANGUAGES = {"zh_CN": "简体中文", "en": "English"}

_TOOLS_DIR = Path(PySide6.__file__).parent


def catalog_source(language: str) -> Path:
    return TRANSLATIONS_DIR / f"chanjiao_{language}.ts"


def _run_tool(tool: str, *args: str) -> None:
    import subprocess  # only to build catalogs: not imported at start (issue 6)

    executable = _TOOLS_DIR / (f"{tool}.exe" if sys.platform == "win32" else tool)
    subprocess.run([str(executable), "-silent", *args], check=True, capture_output=True)


def compile_catalog(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    _run_tool("lrelease", str(source), "-qm", str(target))


def _is_stale(catalog: Path, source: Path) -> bool:
    return not catalog.exists() or catalog.stat().st_mtime < source.stat().st_mtime


def compiled_catalog(language: str, cache_dir: Path) -> Path | None:
    """The `.qm` for `language`: the packaged one, else one compiled into `cache_dir` when
    missing or older than its `.ts`. None when there is neither a `.qm` nor a `.ts`."""
    source = catalog_source(language)
    packaged = source.with_suffix(".qm")
    if not source.exists():
        return packaged if packaged.exists() else None
    if not _is_stale(packaged, source):
        return packaged
    cached = cache_dir / packaged.name
    if _is_stale(cached, source):
        import subprocess

        try:
            compile_catalog(source, cached)
        except (OSError, subprocess.CalledProcessError):
            log.exception("cannot compile %s", source)
            return cached if cached.exists() else None
    return cached


def definition_language(language: str) -> str:
    """The key of a form definition's `Text` for a UI language: "zh" or "en"."""
    return "en" if language.startswith("en") else "zh"


class LanguageSwitcher:
    """Installs the translators of one language into the application, replacing the previous
    ones. Installing a translator sends QEvent.LanguageChange to every widget, which answers
    with `retranslate_ui()`: that is how the language switches live."""

    def __init__(self, app: QCoreApplication, cache_dir: Path) -> None:
        self._app = app
        self._cache_dir = cache_dir
        self._translators: list[QTranslator] = []
        self.language = DEFAULT_LANGUAGE

    def switch_to(self, language: str) -> None:
        if language not in LANGUAGES:
            log.warning("unknown language %r, using %s", language, DEFAULT_LANGUAGE)
            language = DEFAULT_LANGUAGE
        self.remove_translators()
        self.language = language
        QLocale.setDefault(QLocale(language))
        qt_catalogs = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        own_catalog = compiled_catalog(language, self._cache_dir)
        self._install(f"qtbase_{language}", qt_catalogs)
        if own_catalog is not None:
            self._install(own_catalog.stem, str(own_catalog.parent))

    def remove_translators(self) -> None:
        for translator in self._translators:
            self._app.removeTranslator(translator)
        self._translators = []

    def _install(self, name: str, directory: str) -> None:
        translator = QTranslator(self._app)
        if translator.load(name, directory):
            self._app.installTranslator(translator)
            self._translators.append(translator)
        else:
            log.warning("no translation catalog %s in %s", name, directory)


def update_sources() -> None:
    """Re-scan desktop/ for translatable strings into every `.ts`, keeping translations."""
    targets = [str(catalog_source(language)) for language in LANGUAGES]
    scan = ["-extensions", "py", "-no-obsolete", "-locations", "none", str(DESKTOP_DIR)]
    _run_tool("lupdate", *scan, "-ts", *targets)


def build_catalogs() -> list[Path]:
    built = []
    for language in LANGUAGES:
        source = catalog_source(language)
        compile_catalog(source, source.with_suffix(".qm"))
        built.append(source.with_suffix(".qm"))
    return built


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m desktop.i18n", description=__doc__)
    parser.add_argument("command", choices=["update", "build"])
    command = parser.parse_args(argv).command
    if command == "update":
        update_sources()
    else:
        for catalog in build_catalogs():
            print(catalog)


if __name__ == "__main__":
    main()
