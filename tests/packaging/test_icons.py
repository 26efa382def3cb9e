"""The .ico and .icns made at build time from the committed PNG."""

from __future__ import annotations

import struct

import pytest

from tests.packaging.conftest import PACKAGING_DIR, load

icons = load("icons")


def test_the_committed_png_is_256_pixels_beside_its_svg() -> None:
    assert icons.png_size(icons.ICON_PNG.read_bytes()) == (256, 256)
    assert (PACKAGING_DIR / "icon" / "chanjiao.svg").read_text(encoding="utf-8").startswith("<?xml")


def test_the_ico_directory_points_at_the_png(tmp_path) -> None:
    ico, _icns = icons.build_icons(tmp_path)
    data = ico.read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    width, height, _, _, planes, bits, size, offset = struct.unpack("<BBBBHHII", data[6:22])
    assert (reserved, kind, count) == (0, 1, 1)
    assert (width, height, planes, bits) == (0, 0, 1, 32)  # 0 means 256
    assert data[offset : offset + size] == icons.ICON_PNG.read_bytes()


def test_the_icns_holds_the_png_as_its_256_pixel_image(tmp_path) -> None:
    _ico, icns = icons.build_icons(tmp_path)
    data = icns.read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    assert data[8:12] == b"ic08"
    assert data[16:] == icons.ICON_PNG.read_bytes()


def test_a_file_that_is_not_a_png_is_refused() -> None:
    with pytest.raises(ValueError, match="not a PNG"):
        icons.ico_bytes(b"GIF89a" + bytes(30))
