"""The GitHub Actions workflow that builds and self-tests the installers: valid YAML whose jobs,
artifacts and expressions fit together, maintained actions at pinned major versions, tests
before packaging, the Linux bundle built for glibc 2.28 (UOS 20, Kylin V10).

actionlint cannot be installed here (its PyPI package downloads the binary from GitHub), so
these tests check what it would of the structure; the bash steps were run through shellcheck."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement

from sync.store.database import MINIMUM_SQLITE
from tests.packaging.conftest import PACKAGING_DIR

ROOT = PACKAGING_DIR.parent
WORKFLOW = PACKAGING_DIR / "workflows" / "build.yml"
GITHUB_COPY = ROOT / ".github" / "workflows" / "build.yml"
# Maintained actions and the major version the workflow is pinned to (the first majors of
# GitHub's own actions that run on Node 24; upload v7 and download v8 are a pair).
KNOWN_ACTIONS = {
    "actions/checkout": 6,
    "actions/setup-python": 6,
    "astral-sh/setup-uv": 7,
    "actions/upload-artifact": 7,
    "actions/download-artifact": 8,
}
# UOS 20's glibc; Kylin V10's is 2.31.
OLDEST_GLIBC = "2.28"


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    loaded = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def steps(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    return list(workflow["jobs"][job]["steps"])


def test_the_github_copy_is_the_same_file() -> None:
    assert GITHUB_COPY.read_bytes() == WORKFLOW.read_bytes()


def test_it_runs_on_push_and_pull_request(workflow: dict[str, Any]) -> None:
    # YAML 1.1 reads the key `on` as True.
    triggers = workflow.get("on", workflow.get(True))
    assert {"push", "pull_request"} <= set(triggers)


def test_only_known_actions_at_pinned_major_versions(workflow: dict[str, Any]) -> None:
    used = [
        step["uses"] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step
    ]
    assert used
    for reference in used:
        match = re.fullmatch(r"([\w.-]+/[\w.-]+)@v(\d+)", reference)
        assert match, f"{reference} is not owner/name@vN"
        assert KNOWN_ACTIONS.get(match[1]) == int(match[2]), reference


def scripts(workflow: dict[str, Any], job: str) -> str:
    return "\n".join(step.get("run", "") for step in steps(workflow, job))


def uploads(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    return [s["with"] for s in steps(workflow, job) if "upload-artifact" in s.get("uses", "")]


def test_jobs_run_after_the_tests_in_order(workflow: dict[str, Any]) -> None:
    jobs = workflow["jobs"]
    assert any(step.get("run") == "make test" for step in steps(workflow, "test"))
    assert jobs["linux-bundle"]["needs"] == "test"
    assert jobs["linux-deb"]["needs"] == "linux-bundle"
    assert jobs["package"]["needs"] == "test"
    for job in jobs.values():
        needs = job.get("needs", [])
        assert set([needs] if isinstance(needs, str) else needs) <= set(jobs)


def test_windows_and_macos_are_packaged_on_their_runners(workflow: dict[str, Any]) -> None:
    matrix = workflow["jobs"]["package"]["strategy"]["matrix"]["include"]
    assert sorted(entry["os"].split("-")[0] for entry in matrix) == ["macos", "windows"]


def test_the_linux_bundle_is_built_on_glibc_2_28(workflow: dict[str, Any]) -> None:
    job = workflow["jobs"]["linux-bundle"]
    assert job["container"] == "almalinux:8"  # glibc 2.28
    install = scripts(workflow, "linux-bundle")
    # A shared libpython for PyInstaller, readelf for the glibc figure.
    assert "python3.11 python3.11-devel" in install and "binutils" in install
    assert f"packaging/build.py --bundle-only --max-glibc {OLDEST_GLIBC}" in install


def test_the_deb_is_checked_for_glibc_2_28_installed_and_self_tested(
    workflow: dict[str, Any],
) -> None:
    deb = scripts(workflow, "linux-deb")
    assert "import deb; print(" in deb and "deb.DEPENDS" in deb  # installs what it depends on
    assert f"packaging/build.py --no-build --max-glibc {OLDEST_GLIBC}" in deb
    assert f'dpkg --compare-versions "$glibc" le {OLDEST_GLIBC}' in deb
    assert "apt-get install -y ./dist/chanjiao_*.deb" in deb
    assert "chanjiao --self-test" in deb


def test_the_deb_installs_and_runs_on_kylin_v10s_ubuntu(workflow: dict[str, Any]) -> None:
    job = workflow["jobs"]["linux-deb-focal"]
    assert job["container"] == "ubuntu:20.04"  # Kylin V10's base, glibc 2.31
    assert job["needs"] == "linux-deb"
    download = next(s["with"] for s in job["steps"] if "download-artifact" in s.get("uses", ""))
    (linux,) = uploads(workflow, "linux-deb")
    assert download["name"] == linux["name"]
    script = scripts(workflow, "linux-deb-focal")
    assert "apt-get install -y --no-install-recommends ./dist/chanjiao_*.deb" in script
    assert script.rstrip().endswith("chanjiao --self-test")


def test_the_bundle_goes_from_the_container_to_the_deb_job(workflow: dict[str, Any]) -> None:
    (bundle,) = uploads(workflow, "linux-bundle")
    download = next(
        s["with"] for s in steps(workflow, "linux-deb") if "download-artifact" in s.get("uses", "")
    )
    assert download["name"] == bundle["name"]
    assert bundle["path"] == "dist/chanjiao-*-linux-amd64.tar.xz"  # what build.py writes
    assert download["path"] == "dist"


def test_the_glibc_2_28_build_pins_a_pyside6_the_project_allows(
    workflow: dict[str, Any],
) -> None:
    # PySide6 6.10's Linux wheels need glibc 2.34; the container installs the lock with an
    # override, which must stay within pyproject's range.
    printed = re.search(r"printf '(.*?)'", scripts(workflow, "linux-bundle"))
    assert printed
    overrides = dict(line.split("==") for line in printed[1].split("\\n") if line)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pyside = next(
        Requirement(text)
        for text in project["dependencies"]
        if Requirement(text).name.lower() == "pyside6-essentials"
    )
    assert overrides["pyside6-essentials"] == overrides["shiboken6"]
    assert pyside.specifier.contains(overrides["pyside6-essentials"])
    assert tuple(map(int, overrides["pyside6-essentials"].split("."))) < (6, 10)


def test_the_containers_sqlite_is_new_enough_for_the_store(workflow: dict[str, Any]) -> None:
    env = workflow["jobs"]["linux-bundle"]["env"]
    release = re.search(r"sqlite-autoconf-(\d)(\d\d)(\d\d)00\.tar\.gz$", env["SQLITE_URL"])
    assert release, env["SQLITE_URL"]
    assert tuple(int(part) for part in release.groups()) >= MINIMUM_SQLITE
    assert re.fullmatch(r"[0-9a-f]{64}", env["SQLITE_SHA256"])
    assert "sha256sum -c" in scripts(workflow, "linux-bundle")


def test_uv_is_the_makefiles(workflow: dict[str, Any]) -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert f'"uv=={workflow["env"]["UV_VERSION"]}"' in makefile


def test_expressions_name_what_exists(workflow: dict[str, Any]) -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    for name in re.findall(r"\$\{\{\s*env\.(\w+)\s*\}\}", text):
        assert name in workflow["env"], name
    for name, job in workflow["jobs"].items():
        ids = {step["id"] for step in job["steps"] if "id" in step}
        used = re.findall(r"steps\.(\w+)\.outputs", yaml.safe_dump(job["steps"]))
        assert set(used) <= ids, name


def test_every_bundle_and_installer_is_self_tested(workflow: dict[str, Any]) -> None:
    package = scripts(workflow, "package")
    # Each self-test's temporary profile is in a folder named 张三.
    assert "$env:TEMP = $temp" in package and 'TMPDIR="$RUNNER_TEMP/张三"' in package
    assert re.search(r"chanjiao\.exe\"? -ArgumentList '--self-test'", package)
    assert "'/VERYSILENT','/SUPPRESSMSGBOXES'" in package
    assert "/SERVER=https://hub.example.edu.cn" in package
    assert "Chanjiao.app/Contents/MacOS/chanjiao --self-test" in package
    assert "hdiutil create" in package
    assert "ChineseSimplified.isl" in package


def test_the_artifacts_are_the_installers(workflow: dict[str, Any]) -> None:
    (linux,) = uploads(workflow, "linux-deb")
    (others,) = uploads(workflow, "package")
    assert {"dist/*.deb", "dist/*.tar.xz"} <= set(linux["path"].split())
    assert {"dist/*-setup.exe", "dist/*.dmg"} <= set(others["path"].split())
    for upload in (linux, others):
        assert upload["if-no-files-found"] == "error"


def test_checkout_keeps_no_token(workflow: dict[str, Any]) -> None:
    # Nothing pushes; without a persisted token a later step cannot leak it.
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False


def test_no_tabs() -> None:
    # YAML forbids tabs for indentation; CRLF is fine (a Windows checkout has it).
    assert b"\t" not in Path(WORKFLOW).read_bytes()
