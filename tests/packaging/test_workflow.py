"""The GitHub Actions workflow that builds and self-tests the Windows and macOS installers:
valid YAML, maintained actions at pinned major versions, tests before packaging."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.packaging.conftest import PACKAGING_DIR

WORKFLOW = PACKAGING_DIR / "workflows" / "build.yml"
GITHUB_COPY = PACKAGING_DIR.parent / ".github" / "workflows" / "build.yml"
# Maintained actions and the major version the workflow is pinned to.
KNOWN_ACTIONS = {
    "actions/checkout": 4,
    "actions/setup-python": 5,
    "astral-sh/setup-uv": 7,
    "actions/upload-artifact": 4,
}


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


def test_packages_on_the_three_systems_after_the_tests(workflow: dict[str, Any]) -> None:
    package = workflow["jobs"]["package"]
    assert package["needs"] == "test"
    systems = [entry["os"].split("-")[0] for entry in package["strategy"]["matrix"]["include"]]
    assert sorted(systems) == ["macos", "ubuntu", "windows"]
    assert any(step.get("run") == "make test" for step in steps(workflow, "test"))


def test_every_bundle_and_installer_is_self_tested(workflow: dict[str, Any]) -> None:
    scripts = "\n".join(step.get("run", "") for step in steps(workflow, "package"))
    assert "make package" in scripts  # Linux bundle and .deb, self-tested inside
    assert "chanjiao --self-test" in scripts  # the installed .deb
    assert re.search(r"chanjiao\.exe\"? -ArgumentList '--self-test'", scripts)
    assert "'/VERYSILENT','/SUPPRESSMSGBOXES'" in scripts
    assert "/SERVER=https://hub.example.edu.cn" in scripts
    assert "Chanjiao.app/Contents/MacOS/chanjiao --self-test" in scripts
    assert "hdiutil create" in scripts
    assert "ChineseSimplified.isl" in scripts


def test_the_artifacts_are_the_installers(workflow: dict[str, Any]) -> None:
    upload = next(s for s in steps(workflow, "package") if "upload-artifact" in s.get("uses", ""))
    paths = upload["with"]["path"].split()
    assert {"dist/*.deb", "dist/*-setup.exe", "dist/*.dmg"} <= set(paths)
    assert upload["with"]["if-no-files-found"] == "error"


def test_no_tabs() -> None:
    # YAML forbids tabs for indentation; CRLF is fine (a Windows checkout has it).
    assert b"\t" not in Path(WORKFLOW).read_bytes()
