"""The Windows .ico and macOS .icns made from the committed 256 px PNG, at build time.

Both formats may hold PNG data as it is (ICO since Windows Vista, ICNS type `ic08`), so no
imaging library is needed: the spec calls `build_icons(build_dir)`. The PNG itself is rendered
from `icon/chanjiao.svg` once, by hand, and committed:

    convert -background none -density 96 icon/chanjiao.svg -resize 256x256 PNG32:icon/chanjiao.png
"""

from __future__ import annotations

import struct
from pathlib import Path

ICON_DIR = Path(__file__).parent / "icon"
ICON_PNG = ICON_DIR / "chanjiao.png"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    if not data.startswith(_PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise ValueError("not a PNG file")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def ico_bytes(png: bytes) -> bytes:
    """An ICO file with one PNG image (256 px is written as 0 in the directory entry)."""
    width, height = png_size(png)
    header = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", width % 256, height % 256, 0, 0, 1, 32, len(png), 6 + 16)
    return header + entry + png


def icns_bytes(png: bytes) -> bytes:
    """An ICNS file with the PNG as its 256 px (`ic08`) image."""
    width, height = png_size(png)
    if (width, height) != (256, 256):
        raise ValueError(f"ic08 needs a 256x256 PNG, got {width}x{height}")
    element = b"ic08" + struct.pack(">I", 8 + len(png)) + png
    return b"icns" + struct.pack(">I", 8 + len(element)) + element


def build_icons(target_dir: Path) -> tuple[Path, Path]:
    """Write chanjiao.ico and chanjiao.icns into `target_dir`; return their paths."""
    png = ICON_PNG.read_bytes()
    target_dir.mkdir(parents=True, exist_ok=True)
    ico, icns = target_dir / "chanjiao.ico", target_dir / "chanjiao.icns"
    ico.write_bytes(ico_bytes(png))
    icns.write_bytes(icns_bytes(png))
    return ico, icns
