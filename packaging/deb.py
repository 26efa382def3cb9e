"""The Linux .deb (Debian, UOS, Kylin) around the PyInstaller bundle, built with dpkg-deb.

    /opt/chanjiao/                 the bundle
    /usr/bin/chanjiao              -> /opt/chanjiao/chanjiao
    /usr/sbin/chanjiao-config      machine_config.py, for IT's scripts
    /etc/chanjiao/chanjiao.ini     machine-wide settings, a conffile (commented template)
    /usr/share/applications/chanjiao.desktop, /usr/share/icons/hicolor/.../chanjiao.{png,svg}

Installing with CHANJIAO_SERVER=https://... and/or CHANJIAO_CA=/path/ca.pem in the environment
writes them into /etc/chanjiao/chanjiao.ini (postinst); user data in home folders is never
touched, on removal or purge.
"""

from __future__ import annotations

import hashlib
import platform
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

PACKAGING_DIR = Path(__file__).parent
PACKAGE = "chanjiao"
INSTALL_DIR = "opt/chanjiao"
MAINTAINER = "Chanjiao Collect IT <it@chanjiao.invalid>"
# What Qt's xcb platform plugin, QtGui and QtDBus load from the system (see SYSTEM_LIBRARIES
# in bundle_rules.py); `make package` checks every bundled ELF's NEEDED against this list.
# "a | b": the name before and after Debian 13's 64-bit time_t renames.
DEPENDS = (
    "libc6",  # (>= the newest GLIBC_ version a bundled ELF file needs), see glibc_needed
    "libglib2.0-0 | libglib2.0-0t64",
    "libdbus-1-3",
    "libfontconfig1",
    "libfreetype6",
    "libpng16-16 | libpng16-16t64",
    "libexpat1",
    "libuuid1",
    "libzstd1",
    "libx11-6",
    "libx11-xcb1",
    "libxcb1",
    "libxcb-cursor0",
    "libxcb-glx0",
    "libxcb-icccm4",
    "libxcb-image0",
    "libxcb-keysyms1",
    "libxcb-randr0",
    "libxcb-render0",
    "libxcb-render-util0",
    "libxcb-shape0",
    "libxcb-shm0",
    "libxcb-sync1",
    "libxcb-util1",
    "libxcb-xfixes0",
    "libxcb-xinerama0",
    "libxcb-xkb1",
    "libxkbcommon0",
    "libxkbcommon-x11-0",
    "libgl1",
    "libegl1",
    # Printing to the printers CUPS knows (Qt's cupsprintersupport plugin).
    "libcups2 | libcups2t64",
    "fonts-noto-cjk | fonts-wqy-microhei | fonts-wqy-zenhei",
    "python3 (>= 3.7)",
)
# The libc6 version when no bundled file needs one (only in tests' fake bundles): glibc 2.17,
# what manylinux2014 wheels and PyInstaller's bootloader are built for.
GLIBC_FLOOR = (2, 17)
# A version-needs entry of `readelf -V -W`: "  0x0010:   Name: GLIBC_2.14  Flags: none  Version: 6".
_GLIBC_NEED = re.compile(r"^\s+0x[0-9a-f]+:\s+Name: GLIBC_(\d+(?:\.\d+)+)\s")
RECOMMENDS = ("gnome-keyring | kwalletmanager", "xdg-desktop-portal")

# One main category: with two (Office;Education;) menus may list the app twice
# (desktop-file-validate's hint).
DESKTOP_ENTRY = """\
[Desktop Entry]
Type=Application
Name=Chanjiao Collect
Name[zh_CN]=产教融合数据采集
GenericName=Data collection
GenericName[zh_CN]=数据采集
Comment=Collect production-education integration records offline and sync them
Comment[zh_CN]=离线填报产教融合数据并同步到中心服务器
Exec=chanjiao
Icon=chanjiao
Terminal=false
Categories=Office;
Keywords=data;collection;internship;sync;
Keywords[zh_CN]=填报;采集;产教融合;实习;同步;
StartupWMClass=chanjiao
"""

POSTINST = """\
#!/bin/sh
set -e
if [ "$1" = "configure" ]; then
    # IT may preset the hub and CA at install time:
    #   sudo CHANJIAO_SERVER=https://hub.example.edu.cn CHANJIAO_CA=/etc/ssl/ca.pem \\
    #       apt install ./chanjiao.deb
    if [ -n "${CHANJIAO_SERVER:-}" ] || [ -n "${CHANJIAO_CA:-}" ]; then
        set --
        [ -n "${CHANJIAO_SERVER:-}" ] && set -- "$@" --server "$CHANJIAO_SERVER"
        [ -n "${CHANJIAO_CA:-}" ] && set -- "$@" --ca "$CHANJIAO_CA"
        /usr/sbin/chanjiao-config --file /etc/chanjiao/chanjiao.ini "$@" >/dev/null
    fi
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && \\
        gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
fi
exit 0
"""

POSTRM = """\
#!/bin/sh
set -e
# Records live in each user's home folder and are never removed with the program.
if [ "$1" = "remove" ] || [ "$1" = "purge" ]; then
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q || true
fi
exit 0
"""


def architecture() -> str:
    """Debian's name for this machine's architecture (dpkg's, else from the kernel's name: the
    glibc-2.28 bundle is built on AlmaLinux, which has no dpkg)."""
    if shutil.which("dpkg"):
        return subprocess.run(
            ["dpkg", "--print-architecture"], check=True, capture_output=True, text=True
        ).stdout.strip()
    machine = platform.machine()
    return {"x86_64": "amd64", "aarch64": "arm64"}.get(machine, machine)


def glibc_versions_needed(readelf_versions: str) -> set[tuple[int, ...]]:
    """The `GLIBC_x.y[.z]` versions in the version-needs section of `readelf -V -W` output
    (symbols the file takes from libc.so.6, libm.so.6, ...; not versions it defines itself)."""
    needed: set[tuple[int, ...]] = set()
    in_needs = False
    for line in readelf_versions.splitlines():
        if line and not line[0].isspace():
            in_needs = line.startswith("Version needs section")
            continue
        match = _GLIBC_NEED.match(line) if in_needs else None
        if match:
            needed.add(tuple(int(part) for part in match[1].split(".")))
    return needed


def elf_files(folder: Path) -> Iterator[Path]:
    """The ELF files (executables, libraries, extension modules) in `folder`, not symlinks."""
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    yield path


def glibc_needs(bundle: Path) -> dict[Path, tuple[int, ...]]:
    """Each ELF file in the bundle that needs glibc -> the newest `GLIBC_` version it needs."""
    needs: dict[Path, tuple[int, ...]] = {}
    for path in elf_files(bundle):
        versions = subprocess.run(
            ["readelf", "-V", "-W", str(path)], capture_output=True, text=True, check=True
        ).stdout
        needed = glibc_versions_needed(versions)
        if needed:
            needs[path.relative_to(bundle)] = max(needed)
    return needs


def glibc_needed(bundle: Path) -> str:
    """The newest `GLIBC_x.y` version any ELF file in the bundle needs, as `x.y`: the bundle
    runs only where glibc is at least that (PyInstaller copies the build machine's libpython,
    libstdc++ and Python's extension modules, which need its glibc)."""
    return version_text(max(glibc_needs(bundle).values(), default=GLIBC_FLOOR))


def version_text(version: tuple[int, ...]) -> str:
    return ".".join(str(part) for part in version)


def control(version: str, arch: str, installed_kib: int, glibc: str) -> str:
    depends = [f"libc6 (>= {glibc})" if entry == "libc6" else entry for entry in DEPENDS]
    return (
        f"Package: {PACKAGE}\n"
        f"Version: {version}\n"
        f"Architecture: {arch}\n"
        f"Maintainer: {MAINTAINER}\n"
        f"Installed-Size: {installed_kib}\n"
        f"Depends: {', '.join(depends)}\n"
        f"Recommends: {', '.join(RECOMMENDS)}\n"
        "Section: education\n"
        "Priority: optional\n"
        "Homepage: https://chanjiao.invalid/\n"
        "Description: 产教融合数据采集 Chanjiao Collect\n"
        " Offline-first desktop app for collecting production-education integration\n"
        " records (training bases, internships, teacher placements) and syncing them\n"
        " with the county's hub.\n"
    )


def _tree_size(root: Path) -> int:
    return sum(path.lstat().st_size for path in root.rglob("*") if not path.is_dir())


def _md5sums(root: Path) -> str:
    lines = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if relative.parts[0] == "DEBIAN" or path.is_symlink() or not path.is_file():
            continue
        if relative.parts[0] == "etc":
            continue  # conffiles are checked by dpkg itself
        digest = hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()
        lines.append(f"{digest}  {relative.as_posix()}\n")
    return "".join(lines)


def _write(path: Path, text: str, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)


def stage(bundle: Path, root: Path, version: str, arch: str, glibc: str | None = None) -> None:
    """Lay out the package tree under `root` (removed first); `glibc` is the libc6 version
    the package depends on, by default what the bundle needs (glibc_needed)."""
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(bundle, root / INSTALL_DIR, symlinks=True)
    (root / "usr/bin").mkdir(parents=True)
    (root / "usr/bin/chanjiao").symlink_to(f"/{INSTALL_DIR}/chanjiao")
    config_tool = (PACKAGING_DIR / "machine_config.py").read_text(encoding="utf-8")
    _write(
        root / "usr/sbin/chanjiao-config",
        config_tool.replace("#!/usr/bin/env python3", "#!/usr/bin/python3", 1),
        0o755,
    )
    (root / "etc/chanjiao").mkdir(parents=True)
    shutil.copy(PACKAGING_DIR / "linux/chanjiao.ini", root / "etc/chanjiao/chanjiao.ini")
    _write(root / "usr/share/applications/chanjiao.desktop", DESKTOP_ENTRY)
    icons = root / "usr/share/icons/hicolor"
    (icons / "256x256/apps").mkdir(parents=True)
    shutil.copy(PACKAGING_DIR / "icon/chanjiao.png", icons / "256x256/apps/chanjiao.png")
    (icons / "scalable/apps").mkdir(parents=True)
    shutil.copy(PACKAGING_DIR / "icon/chanjiao.svg", icons / "scalable/apps/chanjiao.svg")
    for path in root.rglob("*"):
        if not path.is_symlink():
            # dpkg-deb refuses group- or world-writable control files; keep the tree tidy too.
            path.chmod(path.stat().st_mode & ~0o022)
    installed_kib = (_tree_size(root) + 1023) // 1024
    debian = root / "DEBIAN"
    _write(debian / "control", control(version, arch, installed_kib, glibc or glibc_needed(bundle)))
    _write(debian / "conffiles", "/etc/chanjiao/chanjiao.ini\n")
    _write(debian / "postinst", POSTINST, 0o755)
    _write(debian / "postrm", POSTRM, 0o755)
    _write(debian / "md5sums", _md5sums(root))


def build_deb(bundle: Path, out_dir: Path, version: str, glibc: str | None = None) -> Path:
    """Build `<out_dir>/chanjiao_<version>_<arch>.deb` from the bundle folder."""
    arch = architecture()
    root = out_dir / "deb-root"
    stage(bundle, root, version, arch, glibc)
    target = out_dir / f"{PACKAGE}_{version}_{arch}.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root), str(target)],
        check=True,
    )
    shutil.rmtree(root)
    return target
