"""`chanjiao-hub` speaks Chinese unless the locale is English: its help, its results and its
one-line errors, including those of the admin functions and of a wrong database URL."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest

from sync.console import console_language
from sync.hub.cli import main
from tests.console_language import set_console_language
from tests.sync.hub.servers import HUB_COMMAND


@pytest.mark.parametrize(
    ("environment", "language"),
    [
        ({}, "zh-CN"),
        ({"LANG": "C.UTF-8"}, "zh-CN"),
        ({"LANG": "zh_CN.UTF-8"}, "zh-CN"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "zh-CN"),
    ],
)
def test_the_language_comes_from_the_locale(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], language: str
) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert console_language() == language
    assert console_language("en") == "en"


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    set_console_language(monkeypatch, "zh_CN.UTF-8")


@pytest.mark.usefixtures("chinese")
def test_results_and_errors_are_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "hub.sqlite3")
    assert main(["init", "--db", db]) == 0
    assert "数据库结构已是最新" in capsys.readouterr().out
    assert main(["org", "add", "500103", "渝中区", "--kind", "county", "--db", db]) == 0
    assert capsys.readouterr().out == "已添加县区 500103 渝中区\n"

    # An admin function's refusal.
    assert main(["org", "add", "500103", "又一个", "--kind", "county", "--db", db]) == 1
    assert capsys.readouterr().err == "chanjiao-hub: 代码为 '500103' 的机构已存在\n"
    monkeypatch.setattr("sys.stdin", io.StringIO("\n"))
    args = ["user", "add", "li", "--role", "county", "--org", "500103", "--password-stdin"]
    assert main([*args, "--db", db]) == 1
    assert capsys.readouterr().err == "chanjiao-hub: 密码为空\n"

    # The user list's Chinese headers line up with its rows.
    monkeypatch.setattr("sys.stdin", io.StringIO("secret\n"))
    assert main([*args, "--display-name", "李老师", "--db", db]) == 0
    capsys.readouterr()
    assert main(["user", "list", "--db", db]) == 0
    header, row = capsys.readouterr().out.splitlines()
    assert header.split() == ["用户名", "角色", "机构", "已停用", "显示名称"]
    assert row.split() == ["li", "county", "500103", "否", "李老师"]
    # "显示名称" starts in the same terminal column as "李老师" (Chinese characters take two).
    assert _columns(header[: header.index("显示名称")]) == _columns(row[: row.index("李老师")])

    # A missing database, a wrong URL and a wrong number.
    assert main(["user", "list", "--db", str(tmp_path / "typo.sqlite3")]) == 1
    assert "没有中心服务器数据库：请先运行 chanjiao-hub init" in capsys.readouterr().err
    assert main(["user", "list", "--db", "mysql://hub@db/hub"]) == 2
    assert "中心服务器的数据库须是 SQLite 文件或 postgresql://" in capsys.readouterr().err


def _columns(text: str) -> int:
    return sum(2 if "\u4e00" <= c <= "\u9fff" else 1 for c in text)


@pytest.mark.usefixtures("chinese")
def test_help_and_argument_errors_are_in_chinese() -> None:
    done = subprocess.run([HUB_COMMAND, "--help"], capture_output=True, text=True, check=True)
    assert "产教融合数据采集的中心服务器" in done.stdout
    assert "创建数据库结构" in done.stdout
    # argparse's own words too, which Python has in English only.
    assert done.stdout.startswith("用法：chanjiao-hub")
    assert "显示此帮助并退出" in done.stdout and "选项" in done.stdout
    assert "usage" not in done.stdout and "options" not in done.stdout
    done = subprocess.run([HUB_COMMAND, "user", "add"], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr == (
        "chanjiao-hub user add: 缺少参数：USERNAME, --role, --org"
        "（参见 chanjiao-hub user add --help）\n"
    )
    done = subprocess.run([HUB_COMMAND, "nope"], capture_output=True, text=True)
    assert "参数 COMMAND 的值 'nope' 无效" in done.stderr
    done = subprocess.run(
        [HUB_COMMAND, "serve", "--port", "0", "--db", "x"], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert done.stderr.endswith("至少为 1（参见 chanjiao-hub serve --help）\n"), done.stderr
