import logging
import sys

import pytest
from PySide6.QtCore import QCoreApplication, qWarning

from desktop.application import start_services
from desktop.settings import Settings


@pytest.fixture
def own_translators(_switcher):
    """The services install their own translators: the tests' are out of the way meanwhile."""
    _switcher.remove_translators()
    yield
    _switcher.switch_to(_switcher.language)


@pytest.fixture
def services(qapp, own_translators, tmp_path):
    settings = Settings(tmp_path / "user.ini", tmp_path / "system.ini")
    services = start_services(qapp, settings, tmp_path / "logs", tmp_path / "cache")
    yield services
    services.stop()


def test_services_start_with_a_log_and_the_exception_hook(services):
    assert sys.excepthook == services.exception_hook.handle
    logging.getLogger("desktop.test").warning("启动")
    assert "启动" in services.log_path.read_text(encoding="utf-8")


def test_qt_warnings_go_to_the_log(services):
    qWarning("QFont：找不到字体")
    assert "QFont：找不到字体" in services.log_path.read_text(encoding="utf-8")


def test_language_follows_the_setting_live(services):
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    services.settings.language = "en"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


def test_stopping_restores_the_default_hook(qapp, own_translators, tmp_path):
    settings = Settings(tmp_path / "user.ini", tmp_path / "system.ini")
    start_services(qapp, settings, tmp_path / "logs", tmp_path / "cache").stop()
    assert sys.excepthook is sys.__excepthook__
