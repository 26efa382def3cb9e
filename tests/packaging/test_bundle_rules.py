"""What of Qt the spec keeps in the bundle, by the paths PyInstaller gives on each platform."""

from __future__ import annotations

import pytest

from tests.packaging.conftest import load

rules = load("bundle_rules")


@pytest.mark.parametrize(
    "destination",
    [
        "PySide6/Qt/lib/libQt6Core.so.6",
        "PySide6/Qt/lib/libQt6XcbQpa.so.6",
        "PySide6/Qt/lib/libicudata.so.73",
        "PySide6/Qt6Widgets.dll",
        "PySide6/Qt/lib/QtGui.framework/Versions/A/QtGui",
        "PySide6/QtCore.abi3.so",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/plugins/platforms/qwindows.dll",
        "PySide6/Qt/plugins/platforms/libqcocoa.dylib",
        "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
        "PySide6/Qt/plugins/xcbglintegrations/libqxcb-egl-integration.so",
        "PySide6/plugins/styles/qmodernwindowsstyle.dll",
        "PySide6/Qt/lib/libQt6PrintSupport.so.6",
        "PySide6/QtPrintSupport.abi3.so",
        "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
        "PySide6/Qt/translations/qtbase_zh_CN.qm",
        "PySide6/translations/qt_en.qm",
        "forms/definitions/internship.json",
        "desktop/translations/chanjiao_zh_CN.qm",
        "libpython3.11.so.1.0",
        "libstdc++.so.6",
        "libffi.so.8",
    ],
)
def test_kept(destination: str) -> None:
    assert rules.keep(destination)


@pytest.mark.parametrize(
    "destination",
    [
        "PySide6/Qt/lib/libQt6Quick.so.6",
        "PySide6/Qt/lib/libQt6Svg.so.6",
        "PySide6/Qt/lib/libQt6WaylandClient.so.6",
        "PySide6/Qt6Network.dll",
        "PySide6/Qt/lib/QtQml.framework/Versions/A/QtQml",
        "libQt6Pdf.so.6",
        "PySide6/Qt/plugins/platforms/libqwayland.so",
        "PySide6/Qt/plugins/platforms/libqvnc.so",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "PySide6/Qt/plugins/imageformats/libqtiff.so",
        "PySide6/Qt/plugins/tls/libqopensslbackend.so",
        "PySide6/Qt/plugins/sqldrivers/libqsqlite.so",
        "PySide6/plugins/iconengines/qsvgicon.dll",
        "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
        "PySide6/Qt/translations/qtbase_de.qm",
        "PySide6/Qt/translations/assistant_zh_CN.qm",
        "PySide6/Qt/translations/qtdeclarative_zh_CN.qm",
        "libX11.so.6",
        "libxcb-cursor.so.0",
        "libdbus-1.so.3",
        "libglib-2.0.so.0",
        "libcairo.so.2",
        "libcups.so.2",
        "libgnutls.so.30",
        "libavahi-client.so.3",
    ],
)
def test_left_out(destination: str) -> None:
    assert not rules.keep(destination)


def test_windows_separators_are_understood() -> None:
    assert not rules.keep("PySide6\\translations\\qtbase_ja.qm")
    assert rules.keep("PySide6\\translations\\qtbase_zh_CN.qm")


def test_only_the_imported_qt_modules_stay_in_analysis() -> None:
    listing = [
        "QtCore.abi3.so",
        "QtGui.pyi",
        "QtWidgets.abi3.so",
        "QtNetwork.abi3.so",
        "QtWebEngineCore.abi3.so",
        "Qt3DCore.abi3.so",
        "QtQuick.pyi",
        "__init__.py",
        "Qt",
    ]
    assert rules.excluded_qt_modules(listing) == [
        "PySide6.Qt3DCore",
        "PySide6.QtNetwork",
        "PySide6.QtQuick",
        "PySide6.QtWebEngineCore",
    ]
