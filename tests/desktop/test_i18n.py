import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from desktop import i18n


def _messages(catalog: Path) -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(catalog).getroot()
    return [
        (context.findtext("name", ""), message.findtext("source", ""), message)
        for context in root.iter("context")
        for message in context.iter("message")
    ]


@pytest.mark.parametrize("language", list(i18n.LANGUAGES))
def test_every_string_in_the_code_is_translated(tmp_path, monkeypatch, language):
    # lupdate over the current code, merged into a copy of the committed catalog: a string
    # added or changed in the code and not yet translated comes out unfinished.
    copy = tmp_path / i18n.catalog_source(language).name
    shutil.copy(i18n.catalog_source(language), copy)
    monkeypatch.setattr(i18n, "catalog_source", lambda _language: copy)
    i18n.update_sources()
    untranslated = [
        f"{context}: {source}"
        for context, source, message in _messages(copy)
        if message.find("translation").get("type") is not None
        or not (message.findtext("translation") or "").strip()
    ]
    assert untranslated == []


def test_chinese_catalog_translates_into_chinese():
    untranslated = [
        source
        for _context, source, message in _messages(i18n.catalog_source("zh_CN"))
        if source == message.findtext("translation") and any(c.isalpha() for c in source)
    ]
    assert untranslated == []


def test_switching_language_translates_qt_buttons_too(languages):
    languages.switch_to("zh_CN")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    languages.switch_to("en")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


def test_unknown_language_falls_back_to_chinese(languages):
    languages.switch_to("tlh")
    assert languages.language == "zh_CN"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"


def test_catalog_is_compiled_when_missing_and_again_when_stale(tmp_path, monkeypatch):
    # A fresh checkout: the .ts and no .qm beside it.
    source = tmp_path / "sources" / "chanjiao_zh_CN.ts"
    source.parent.mkdir()
    shutil.copy(i18n.catalog_source("zh_CN"), source)
    monkeypatch.setattr(i18n, "catalog_source", lambda _language: source)
    cache = tmp_path / "cache"
    catalog = i18n.compiled_catalog("zh_CN", cache)
    assert catalog == cache / "chanjiao_zh_CN.qm"
    assert catalog.stat().st_size > 0
    os.utime(catalog, (0, 0))
    assert i18n.compiled_catalog("zh_CN", cache) == catalog
    assert catalog.stat().st_mtime > source.stat().st_mtime - 1
