import pytest

from desktop.settings import OptionLockedError, Settings, system_config_path


@pytest.fixture
def folder(tmp_path):
    # Chinese user names are common on school computers.
    folder = tmp_path / "张老师"
    folder.mkdir()
    return folder


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def system_file(folder):
    return _write(
        folder / "system.ini",
        "[General]\n"
        "hub_url=https://hub.jyj.example.cn\n"
        "ca_bundle=/etc/ssl/学校根证书.pem\n"
        "sync_interval_minutes=15\n"
        "update_check=false\n"
        "locked=hub_url, ca_bundle\n",
    )


def test_defaults_without_any_file(folder):
    settings = Settings(folder / "user.ini", folder / "missing.ini")
    assert settings.hub_url == ""
    assert settings.sync_interval_minutes == 5
    assert settings.language == "zh_CN"
    assert settings.update_check is True
    assert settings.locked == frozenset()


def test_machine_wide_values_are_read_typed(folder, system_file):
    settings = Settings(folder / "user.ini", system_file)
    assert settings.hub_url == "https://hub.jyj.example.cn"
    assert settings.ca_bundle == "/etc/ssl/学校根证书.pem"
    assert settings.sync_interval_minutes == 15
    assert settings.update_check is False
    assert settings.locked == {"hub_url", "ca_bundle"}


def test_locked_options_cannot_be_changed_and_win_over_the_user_file(folder, system_file):
    _write(folder / "user.ini", "[General]\nhub_url=https://elsewhere.example.com\n")
    settings = Settings(folder / "user.ini", system_file)
    assert settings.is_locked("hub_url")
    assert settings.hub_url == "https://hub.jyj.example.cn"
    with pytest.raises(OptionLockedError):
        settings.hub_url = "https://elsewhere.example.com"


def test_unlocked_machine_wide_values_are_defaults_the_user_may_change(folder, system_file, qtbot):
    settings = Settings(folder / "user.ini", system_file)
    with qtbot.waitSignal(settings.option_changed) as changed:
        settings.sync_interval_minutes = 30
    assert changed.args == ["sync_interval_minutes"]
    settings.language = "en"
    reopened = Settings(folder / "user.ini", system_file)
    assert reopened.sync_interval_minutes == 30
    assert reopened.language == "en"


def test_unusable_values_in_a_file_fall_back_without_failing(folder):
    _write(
        folder / "user.ini",
        "[General]\nsync_interval_minutes=often\nlanguage=fr\nupdate_check=maybe\n",
    )
    _write(folder / "system.ini", "[General]\nsync_interval_minutes=0\nlanguage=en\n")
    settings = Settings(folder / "user.ini", folder / "system.ini")
    assert settings.sync_interval_minutes == 5
    assert settings.language == "en"
    assert settings.update_check is True


@pytest.mark.parametrize("value", [0, "10", True, 100_000])
def test_invalid_values_are_refused(folder, value):
    settings = Settings(folder / "user.ini", folder / "system.ini")
    with pytest.raises(ValueError):
        settings.sync_interval_minutes = value


def test_machine_wide_path_can_be_set_by_environment(monkeypatch, system_file, folder):
    monkeypatch.setenv("CHANJIAO_SYSTEM_CONFIG", str(system_file))
    assert system_config_path() == system_file
    assert Settings(folder / "user.ini").hub_url == "https://hub.jyj.example.cn"
