"""The packaging scripts are files in packaging/, not a package (a `packaging` package would
shadow PyPA's): tests load them by path."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

PACKAGING_DIR = Path(__file__).resolve().parents[2] / "packaging"


def load(name: str) -> ModuleType:
    """packaging/<name>.py as module `chanjiao_packaging.<name>`, loaded once."""
    qualified = f"chanjiao_packaging.{name}"
    if qualified in sys.modules:
        return sys.modules[qualified]
    spec = importlib.util.spec_from_file_location(qualified, PACKAGING_DIR / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[qualified] = module
    spec.loader.exec_module(module)
    return module
