"""What of Qt goes into the bundle: the spec filters PyInstaller's TOC through `keep()`.

PyInstaller's PySide6 hooks collect every plugin of the kinds QtGui may load and every Qt
translation; the app needs a few. A Qt library is kept only when the app or a kept plugin links
it (checked with `ldd` by `make package`), a plugin only when its kind and name are listed,
a Qt translation only for the app's languages.
"""

from __future__ import annotations

import re
from pathlib import PurePath

# The Python modules of PySide6 the app imports; every other one is excluded from analysis.
QT_MODULES = ("QtCore", "QtGui", "QtWidgets", "QtPrintSupport")
# Qt libraries by module name (libQt6Core.so.6, Qt6Core.dll, QtCore.framework): the four
# above, QtDBus (Linux: QtGui, the portal theme and ibus link it) and QtXcbQpa (the xcb plugin).
QT_LIBRARIES = frozenset({"Core", "Gui", "Widgets", "PrintSupport", "DBus", "XcbQpa"})
# Plugin kind -> plugin name stems kept, across platforms (the file names without lib/suffix).
QT_PLUGINS: dict[str, frozenset[str]] = {
    # xcb for X11 and XWayland, cocoa and windows for the others; offscreen for --self-test.
    "platforms": frozenset({"qxcb", "qwindows", "qcocoa", "qoffscreen", "qminimal"}),
    # Not qgtk3: it would bring a second GTK stack (cairo, pango, gdk) next to the system's.
    "platformthemes": frozenset({"qxdgdesktopportal"}),
    # ibus carries Chinese input methods on Linux (fcitx5 answers ibus too); compose for dead keys.
    "platforminputcontexts": frozenset(
        {"composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"}
    ),
    "xcbglintegrations": frozenset({"qxcb-egl-integration", "qxcb-glx-integration"}),
    "imageformats": frozenset({"qico"}),
    # The printers CUPS knows, on Linux (Windows and macOS print through QtPrintSupport itself).
    "printsupport": frozenset({"cupsprintersupport"}),
    "styles": frozenset({"qmodernwindowsstyle", "qwindowsvistastyle", "qmacstyle"}),
}
LANGUAGES = ("zh_CN", "en")
# Linux libraries taken from the system, never bundled: they must match the running X server,
# D-Bus daemon and GL driver, and the .deb's Depends names their packages (packaging/deb.py).
# PyInstaller would otherwise copy the build machine's.
SYSTEM_LIBRARIES = re.compile(
    r"^lib(?:X11|X11-xcb|Xau|Xdmcp|Xext|Xrender|xcb(?:-[a-z0-9-]+)?|xkbcommon(?:-x11)?"
    r"|fontconfig|freetype|png16|expat|dbus-1|systemd|gcrypt|gpg-error|lz4|zstd|cap"
    r"|glib-2\.0|gio-2\.0|gobject-2\.0|gmodule-2\.0|gthread-2\.0|pcre2-8|blkid|mount"
    r"|selinux|uuid|bsd|md|gssapi_krb5|krb5|krb5support|k5crypto|com_err|keyutils|cups"
    r"|GL|GLX|GLdispatch|EGL|OpenGL)\.so(?:\.\d+)*$"
)
# What only the left-out GTK theme plugin needs; PyInstaller collects it before the spec drops
# the plugin. (Qt draws text with its own HarfBuzz; FreeType's brotli comes with the system's.)
GTK_THEME_LIBRARIES = re.compile(
    r"^lib(?:gtk-3|gdk-3|gdk_pixbuf-2\.0|atk-1\.0|atk-bridge-2\.0|atspi|cairo|cairo-gobject"
    r"|pango-1\.0|pangocairo-1\.0|pangoft2-1\.0|harfbuzz|fribidi|thai|datrie|graphite2|pixman-1"
    r"|jpeg|tiff|brotlicommon|brotlidec|epoxy|wayland-[a-z]+|Xi|Xfixes|Xcursor|Xdamage"
    r"|Xcomposite|Xinerama|Xrandr)\.so(?:\.\d+)*$"
)
# What only the system's libcups needs (the CUPS print plugin links it): it comes with libcups2.
CUPS_LIBRARIES = re.compile(
    r"^lib(?:avahi-common|avahi-client|gnutls|nettle|hogweed|gmp|idn2|unistring|tasn1|p11-kit)"
    r"\.so(?:\.\d+)*$"
)
_QT_TRANSLATION = re.compile(r"^qt(base)?_(?P<language>[A-Za-z_]+)\.qm$")
_QT_LIBRARY = re.compile(
    r"^(?:lib)?Qt6?(?P<module>[A-Za-z0-9]+?)(?:\.so(?:\.\d+)*|\.dll|\.framework|\.\d+\.dylib)$"
)
_PLUGIN_AFFIXES = re.compile(r"^(?:lib)?(?P<stem>.+?)(?:\.so|\.dll|\.dylib)$")


def _qt_parts(parts: tuple[str, ...]) -> tuple[str, ...] | None:
    """The parts after PySide6/ (and its Qt/ folder), or None outside PySide6."""
    if "PySide6" not in parts:
        return None
    rest = parts[parts.index("PySide6") + 1 :]
    return rest[1:] if rest[:1] == ("Qt",) else rest


def keep(destination: str) -> bool:
    """Whether the file PyInstaller would put at `destination` (relative) is kept."""
    parts = PurePath(destination.replace("\\", "/")).parts
    qt = _qt_parts(parts)
    if qt is None:
        name = parts[-1]
        return _keeps_library(name) and not (
            SYSTEM_LIBRARIES.match(name)
            or GTK_THEME_LIBRARIES.match(name)
            or CUPS_LIBRARIES.match(name)
        )
    if qt[:1] == ("plugins",):
        if len(qt) < 3:
            return False
        kind, name = qt[1], qt[2]
        stem = _PLUGIN_AFFIXES.match(name)
        return kind in QT_PLUGINS and stem is not None and stem["stem"] in QT_PLUGINS[kind]
    if qt[:1] == ("translations",):
        match = _QT_TRANSLATION.match(qt[-1])
        return match is not None and match["language"] in LANGUAGES
    return all(_keeps_library(part) for part in qt)


def _keeps_library(name: str) -> bool:
    """False only for a Qt library (file or macOS framework folder) the app does not need."""
    library = _QT_LIBRARY.match(name)
    return library is None or library["module"] in QT_LIBRARIES


def excluded_qt_modules(names: list[str]) -> list[str]:
    """`PySide6.QtX` for every Qt module file in `names` (a listing of the PySide6 folder)
    that is not in QT_MODULES."""
    modules = {name.split(".")[0] for name in names if re.match(r"^Qt[A-Za-z0-9]+\.", name)}
    return sorted(f"PySide6.{module}" for module in modules - set(QT_MODULES))
