"""`make package`: build the Linux bundle and the .deb, self-test both, measure them.

    .venv/bin/python packaging/build.py             # everything below, into dist/
    .venv/bin/python packaging/build.py --no-build  # measure and package an existing bundle
    .venv/bin/python packaging/build.py --bundle-only --max-glibc 2.28  # steps 1, 2, 4, 5

1. compile the .qm catalogs and run PyInstaller on packaging/chanjiao.spec -> dist/chanjiao/
2. run the bundle's `--self-test` offscreen, from a home folder named 张三
3. check every bundled ELF: all its libraries resolve, and each system library it needs
   directly belongs to a package the .deb depends on (needs dpkg)
4. the newest glibc the bundle needs: the highest GLIBC_x.y version in any bundled ELF file's
   version needs, written into the .deb as `libc6 (>= x.y)`; over --max-glibc fails
5. size on disk, compressed size (dist/chanjiao-<version>-linux-<arch>.tar.xz)
6. the time from starting the bundle until its main window is exposed on an X server (Xvfb,
   through Qt's xcb plugin like a desktop; offscreen when there is no Xvfb), five starts
7. dist/chanjiao_<version>_<arch>.deb, unpacked into a temporary root whose self-test runs
   with the package's /etc/chanjiao/chanjiao.ini as the machine-wide file

Fails when a self-test fails, a library is missing, the bundle needs a newer glibc than
--max-glibc or a size is over budget; the window time is reported against its budget (the build
machine is shared, so it only warns). --bundle-only is for the release build on AlmaLinux 8
(glibc 2.28, no dpkg): the workflow packages its tar.xz into the .deb on Ubuntu with --no-build.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import deb

PACKAGING_DIR = Path(__file__).resolve().parent
ROOT = PACKAGING_DIR.parent
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
BUNDLE = DIST / "chanjiao"
MB = 1_000_000
DISK_BUDGET_MB = 150
COMPRESSED_BUDGET_MB = 60
WINDOW_BUDGET_S = 1.5
WINDOW_STARTS = 5
NON_ASCII_HOME = "张三"


def version() -> str:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return str(pyproject["project"]["version"])


def step(text: str) -> None:
    print(f"\n== {text}", flush=True)


def build_bundle() -> None:
    step("compile translations, run PyInstaller")
    python = sys.executable
    subprocess.run([python, "-m", "desktop.i18n", "build"], cwd=ROOT, check=True)
    pyinstaller = [python, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
    paths = ["--distpath", str(DIST), "--workpath", str(WORK)]
    subprocess.run([*pyinstaller, *paths, str(PACKAGING_DIR / "chanjiao.spec")], check=True)


def bundle_environment(home: Path) -> dict[str, str]:
    """This process's environment for running the bundle from `home` (created), with its
    temporary folder (where the self-test's profile goes) in `home`/临时, without the user
    folders it may name and without LD_LIBRARY_PATH: the bundle must run on what it carries
    and the system's libraries (the AlmaLinux build finds its own SQLite through that path)."""
    temporary = home / "临时"
    temporary.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "HOME": str(home), "TMPDIR": str(temporary)}
    for name in (
        "XDG_DATA_HOME",
        "XDG_CONFIG_HOME",
        "XDG_CACHE_HOME",
        "XDG_STATE_HOME",
        "LD_LIBRARY_PATH",
    ):
        env.pop(name, None)
    return env


def self_test(executable: Path, extra_env: dict[str, str] | None = None) -> bool:
    """Run `executable --self-test` offscreen with a home folder named 张三 and its temporary
    profile in 张三/临时; print its lines."""
    with tempfile.TemporaryDirectory() as temporary:
        env = {
            **bundle_environment(Path(temporary) / NON_ASCII_HOME),
            "QT_QPA_PLATFORM": "offscreen",
        }
        env.pop("DISPLAY", None)
        env.update(extra_env or {})
        result = subprocess.run(
            [str(executable), "--self-test"], env=env, capture_output=True, text=True
        )
    print(result.stdout, end="")
    if result.returncode != 0:
        print(result.stderr[-3000:], end="")
    print(f"exit status {result.returncode}")
    return result.returncode == 0


def _needed(path: Path) -> list[str]:
    dynamic = subprocess.run(
        ["readelf", "-d", str(path)], capture_output=True, text=True, check=False
    ).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", dynamic)


def _system_libraries() -> dict[str, str]:
    listing = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout
    found: dict[str, str] = {}
    for name, path in re.findall(r"^\s+(\S+) \(libc6,x86-64[^)]*\) => (\S+)$", listing, re.M):
        found.setdefault(name, path)
    for name, path in re.findall(r"^\s+(\S+) \([^)]*\) => (\S+)$", listing, re.M):
        found.setdefault(name, path)
    return found


def _owner(path: str) -> str | None:
    result = subprocess.run(["dpkg", "-S", path], capture_output=True, text=True)
    if result.returncode != 0:
        result = subprocess.run(
            ["dpkg", "-S", os.path.realpath(path)], capture_output=True, text=True
        )
    if result.returncode != 0:
        return None
    return result.stdout.split(":")[0].strip()


def check_libraries(bundle: Path) -> bool:
    """Every library of every bundled ELF resolves; system ones come from a Depends package."""
    step("libraries: ldd on every bundled ELF, system libraries against the .deb's Depends")
    bundled = {path.name for path in bundle.rglob("*")}
    depended = {alternative.split()[0] for entry in deb.DEPENDS for alternative in entry.split("|")}
    system = _system_libraries()
    problems: list[str] = []
    from_system: dict[str, str] = {}
    elves = list(deb.elf_files(bundle))
    for elf in elves:
        ldd = subprocess.run(["ldd", str(elf)], capture_output=True, text=True).stdout
        for missing in re.findall(r"^\s+(\S+) => not found", ldd, re.M):
            problems.append(f"{elf.relative_to(bundle)}: {missing} not found")
        for name in _needed(elf):
            if name in bundled or name in from_system:
                continue
            path = system.get(name)
            owner = _owner(path) if path else None
            from_system[name] = owner or "?"
            if owner is None or owner not in depended:
                problems.append(f"{name} (needed by {elf.name}) is from {owner}, not in Depends")
    packages = sorted(set(from_system.values()))
    print(f"{len(elves)} ELF files; system libraries from: {', '.join(packages)}")
    for problem in problems:
        print(f"✗ {problem}")
    if not problems:
        print("✓ every library resolves; every system library's package is in Depends")
    return not problems


def disk_size(folder: Path) -> int:
    """Bytes the folder takes on disk (allocated blocks, as `du` counts them)."""
    return sum(path.lstat().st_blocks * 512 for path in folder.rglob("*")) + (
        folder.lstat().st_blocks * 512
    )


def compress(bundle: Path, target: Path) -> int:
    step(f"compress: {target.name}")
    target.unlink(missing_ok=True)
    env = {**os.environ, "XZ_OPT": "-6 -T1"}
    subprocess.run(
        ["tar", "-C", str(bundle.parent), "-cJf", str(target), bundle.name], check=True, env=env
    )
    return target.stat().st_size


class VirtualDisplay:
    """An Xvfb server on a free display number, stopped on exit; None when there is no Xvfb."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.display = ""

    def __enter__(self) -> VirtualDisplay | None:
        xvfb = shutil.which("Xvfb")
        if xvfb is None:
            return None
        read_end, write_end = os.pipe()
        self.process = subprocess.Popen(
            [xvfb, "-displayfd", str(write_end), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
            pass_fds=(write_end,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write_end)
        with os.fdopen(read_end) as numbers:
            self.display = f":{numbers.readline().strip()}"
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)


def window_times(
    executable: Path, display: VirtualDisplay | None
) -> tuple[list[float], list[float]]:
    """Seconds from starting the bundle to its main window exposed, one per start, and the CPU
    seconds (user + system) of each whole run: on a shared machine the wall time is inflated
    by the load, the CPU time much less."""
    times, cpu_times = [], []
    with tempfile.TemporaryDirectory() as temporary:
        env = bundle_environment(Path(temporary) / NON_ASCII_HOME)
        command = [str(executable), "--self-test", "--time-window"]
        if display is not None:
            env["DISPLAY"] = display.display
            env.pop("QT_QPA_PLATFORM", None)
            command.append("--show")
        for _ in range(WINDOW_STARTS):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            process = subprocess.Popen(
                command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            assert process.stdout is not None
            line = process.stdout.readline()
            elapsed = time.perf_counter() - started
            _out, errors = process.communicate(timeout=60)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            print(f"{line.strip()} after {elapsed:.2f} s (whole run: {cpu:.2f} s CPU)")
            if process.returncode != 0 or "✓ window shown" not in line:
                print(errors[-2000:])
                raise SystemExit("the bundle did not show its window")
            times.append(elapsed)
            cpu_times.append(cpu)
    return times, cpu_times


def test_deb(package: Path) -> bool:
    """Unpack the .deb into a temporary root, preset a hub with its chanjiao-config, run the
    unpacked bundle's self-test with the package's chanjiao.ini as the machine-wide file."""
    step(f"self-test of {package.name} unpacked into a temporary root")
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        subprocess.run(["dpkg-deb", "-x", str(package), str(root)], check=True)
        ini = root / "etc/chanjiao/chanjiao.ini"
        subprocess.run(
            [
                sys.executable,
                str(root / "usr/sbin/chanjiao-config"),
                "--file",
                str(ini),
                "--server",
                "https://hub.example.edu.cn",
                "--lock",
                "hub_url",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        link = root / "usr/bin/chanjiao"
        if os.readlink(link) != "/opt/chanjiao/chanjiao":
            print(f"✗ /usr/bin/chanjiao points to {os.readlink(link)}")
            return False
        return self_test(root / "opt/chanjiao/chanjiao", {"CHANJIAO_SYSTEM_CONFIG": str(ini)})


def check_glibc(bundle: Path, limit: str | None) -> tuple[str, bool]:
    """The newest glibc version the bundle needs (the .deb's libc6 version), and whether it is
    at most `limit`."""
    step("glibc: the newest GLIBC_ version any bundled ELF file needs")
    needs = deb.glibc_needs(bundle)
    newest = max(needs.values(), default=deb.GLIBC_FLOOR)
    needed = deb.version_text(newest)
    by = [str(path) for path, version in needs.items() if version == newest]
    print(f"glibc ≥ {needed}, needed by {', '.join(by[:3])}{', …' if len(by) > 3 else ''}")
    print(f"the .deb depends on libc6 (>= {needed})")
    if limit is None:
        return needed, True
    within = newest <= tuple(int(part) for part in limit.split("."))
    print(f"{'✓' if within else '✗'} at most glibc {limit}, the oldest this build is for")
    return needed, within


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--no-build", action="store_true", help="use the existing dist/chanjiao")
    parser.add_argument(
        "--bundle-only",
        action="store_true",
        help="build, self-test, glibc, sizes and tar.xz only (no dpkg, no window time)",
    )
    parser.add_argument(
        "--max-glibc", metavar="X.Y", help="fail when the bundle needs a newer glibc than this"
    )
    args = parser.parse_args(argv)
    if args.max_glibc is not None and not re.fullmatch(r"\d+\.\d+", args.max_glibc):
        parser.error(f"--max-glibc takes a version like 2.28, not {args.max_glibc!r}")
    if not sys.platform.startswith("linux"):
        raise SystemExit("make package builds the Linux bundle; see packaging/workflows")
    release = version()
    arch = deb.architecture()
    DIST.mkdir(exist_ok=True)
    if not args.no_build:
        build_bundle()
    executable = BUNDLE / "chanjiao"

    step("self-test of the bundle (offscreen, HOME=…/张三, TMPDIR=…/张三/临时)")
    bundle_ok = self_test(executable)
    libraries_ok = args.bundle_only or check_libraries(BUNDLE)
    glibc, glibc_ok = check_glibc(BUNDLE, args.max_glibc)
    on_disk = disk_size(BUNDLE)
    compressed = compress(BUNDLE, DIST / f"chanjiao-{release}-linux-{arch}.tar.xz")
    rows = [
        ("bundle self-test", "pass" if bundle_ok else "FAIL", ""),
        (
            "glibc needed (libc6 Depends)",
            f"≥ {glibc}",
            f"≤ {args.max_glibc}" if args.max_glibc else "",
        ),
        ("size on disk", f"{on_disk / MB:.1f} MB", f"≤ {DISK_BUDGET_MB} MB"),
        ("compressed (tar.xz)", f"{compressed / MB:.1f} MB", f"≤ {COMPRESSED_BUDGET_MB} MB"),
    ]
    failed = not (bundle_ok and libraries_ok and glibc_ok)
    failed |= on_disk > DISK_BUDGET_MB * MB or compressed > COMPRESSED_BUDGET_MB * MB
    artifacts = [BUNDLE, DIST / f"chanjiao-{release}-linux-{arch}.tar.xz"]
    times: list[float] = []
    cpu_times: list[float] = []
    load = ""
    if not args.bundle_only:
        step("window time: bundle start to main window exposed")
        with VirtualDisplay() as display:
            where = "Xvfb, xcb plugin" if display is not None else "offscreen"
            times, cpu_times = window_times(executable, display)
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())

        step("the .deb")
        package = deb.build_deb(BUNDLE, DIST, release, glibc)
        deb_ok = test_deb(package)
        deb_size = package.stat().st_size
        median = statistics.median(times)
        rows[1:1] = [
            (".deb self-test", "pass" if deb_ok else "FAIL", ""),
            ("libraries", "pass" if libraries_ok else "FAIL", ""),
        ]
        rows += [
            ("compressed (.deb)", f"{deb_size / MB:.1f} MB", f"≤ {COMPRESSED_BUDGET_MB} MB"),
            (f"window ({where})", f"median {median:.2f} s", f"≤ {WINDOW_BUDGET_S} s"),
        ]
        failed |= not deb_ok or deb_size > COMPRESSED_BUDGET_MB * MB
        artifacts.append(package)

    step(f"summary: chanjiao {release} on {platform.platform()}")
    if times:
        print(f"window starts: {', '.join(f'{t:.2f}' for t in times)} s (first one cold)")
        print(f"CPU of each whole run: {', '.join(f'{t:.2f}' for t in cpu_times)} s user+sys")
        print(f"load average while measuring: {load} on {os.cpu_count()} CPUs")
    for name, value, budget in rows:
        print(f"{name:<30} {value:<16} {budget}")
    if times and statistics.median(times) > WINDOW_BUDGET_S:
        print(f"warning: the window took longer than {WINDOW_BUDGET_S} s")
    print(f"artifacts: {', '.join(str(path) for path in artifacts)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
