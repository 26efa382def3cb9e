"""`make bench`: run every tests/bench/bench_*.py module's main() and print its figures.

`python -m tests.bench [NAME ...]` runs only the named benchmarks (e.g. `forms store`).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time

import tests.bench


def main(selected: list[str]) -> int:
    names = sorted(
        info.name.removeprefix("bench_")
        for info in pkgutil.iter_modules(tests.bench.__path__)
        if info.name.startswith("bench_")
    )
    failures = 0
    for name in names:
        if selected and name not in selected:
            continue
        print(f"== bench_{name}", flush=True)
        started = time.perf_counter()
        try:
            importlib.import_module(f"tests.bench.bench_{name}").main()
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            failures += 1
            print(f"   FAILED: {type(exc).__name__}: {exc}", flush=True)
        print(f"   ({time.perf_counter() - started:.1f} s)", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
